#include "lru.h"

#include <stdlib.h>
#include <string.h>

struct lru {
    size_t capacity;
    size_t block_size;
    lru_writeback_fn writeback;
    void *ctx;
    /* TODO: the cached blocks and their order of use */
};

lru_t *lru_new(size_t capacity, size_t block_size, lru_writeback_fn writeback, void *ctx)
{
    /* TODO */
    (void)capacity;
    (void)block_size;
    (void)writeback;
    (void)ctx;
    return NULL;
}

void lru_destroy(lru_t *c)
{
    /* TODO */
    (void)c;
}

void *lru_lookup(lru_t *c, uint64_t block)
{
    /* TODO */
    (void)c;
    (void)block;
    return NULL;
}

int lru_insert(lru_t *c, uint64_t block, const void *data, bool dirty)
{
    /* TODO */
    (void)c;
    (void)block;
    (void)data;
    (void)dirty;
    return -1;
}

bool lru_mark_dirty(lru_t *c, uint64_t block)
{
    /* TODO */
    (void)c;
    (void)block;
    return false;
}

size_t lru_flush(lru_t *c)
{
    /* TODO */
    (void)c;
    return 0;
}

size_t lru_count(const lru_t *c)
{
    /* TODO */
    (void)c;
    return 0;
}
