#ifndef LRU_H
#define LRU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes one block back to the device: `data` points at the block_size bytes
 * of the cached copy of `block`. Returns 0 on success, anything else on
 * failure. `ctx` is the pointer given to lru_new. */
typedef int (*lru_writeback_fn)(void *ctx, uint64_t block, const void *data);

/* A fixed-size cache of disk blocks with least-recently-used eviction. You
 * define struct lru. */
typedef struct lru lru_t;

/* Creates an empty cache of `capacity` blocks of `block_size` bytes each.
 * Returns NULL (leaving nothing allocated) if capacity or block_size is 0,
 * writeback is NULL, or the memory cannot be allocated. */
lru_t *lru_new(size_t capacity, size_t block_size, lru_writeback_fn writeback, void *ctx);

/* Frees everything the cache owns, without writing anything back. Does
 * nothing if c is NULL. */
void lru_destroy(lru_t *c);

/* Returns the cached copy of `block` (block_size bytes, writable) and makes
 * it the most recently used block, or returns NULL if it is not cached. The
 * pointer is valid until the next lru_insert or lru_destroy. */
void *lru_lookup(lru_t *c, uint64_t block);

/* Caches a copy of the block_size bytes at `data` as `block`, with the given
 * dirty flag, as the most recently used block. Returns 0, or -1 if a dirty
 * block had to be evicted and its write-back failed (nothing changed). */
int lru_insert(lru_t *c, uint64_t block, const void *data, bool dirty);

/* Marks a cached block dirty without changing its recency. Returns false if
 * the block is not cached. */
bool lru_mark_dirty(lru_t *c, uint64_t block);

/* Writes back every dirty block, least recently used first; each one written
 * successfully becomes clean. Returns the number of write-backs that failed. */
size_t lru_flush(lru_t *c);

/* The number of cached blocks. */
size_t lru_count(const lru_t *c);

#endif
