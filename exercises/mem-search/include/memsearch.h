#ifndef MEMSEARCH_H
#define MEMSEARCH_H

#include <stddef.h>
#include <stdint.h>

/* Returned by mem_search when word_size is not 1, 2, 4 or 8. */
#define MS_ERR_WORD_SIZE (-1)

/* Searches a copy of guest memory for aligned words that match value under mask.
 *
 * mem[0] .. mem[len - 1] are the guest bytes at addresses base .. base + len - 1
 * (base + len <= 2^64). A word of word_size bytes is read, little-endian, at
 * every guest address that is a multiple of word_size and whose whole word lies
 * inside the buffer. It matches if (word & mask) == (value & mask), counting only
 * the low 8 * word_size bits of value and mask.
 *
 * Stores the guest addresses of the first max_matches matches, in increasing
 * order, in matches[0 ..] (matches may be NULL if max_matches is 0) and returns
 * the total number of matches, which may be more than max_matches.
 * Returns MS_ERR_WORD_SIZE if word_size is not 1, 2, 4 or 8. */
int64_t mem_search(const uint8_t *mem, size_t len, uint64_t base,
                   unsigned word_size, uint64_t value, uint64_t mask,
                   uint64_t *matches, size_t max_matches);

#endif
