/* Wrong: with a mask of 0 every aligned word matches, so it counts them as (len - off) / word_size without a search; when the buffer ends before its first aligned address that wraps around. */
#include "memsearch.h"

/* Otherwise as the reference: walk the buffer by offset (never by address, so that
 * nothing overflows at the top of the address space), starting at the first
 * offset whose guest address is a multiple of the word size. */

int64_t mem_search(const uint8_t *mem, size_t len, uint64_t base,
                   unsigned word_size, uint64_t value, uint64_t mask,
                   uint64_t *matches, size_t max_matches)
{
    if (word_size != 1 && word_size != 2 && word_size != 4 && word_size != 8)
        return MS_ERR_WORD_SIZE;

    /* Keep only the bits a word of this size has (a shift by 64 would be UB). */
    uint64_t width = word_size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * word_size)) - 1;
    mask &= width;
    value &= mask;

    /* Distance from base up to the next aligned guest address. */
    size_t off = (size_t)((word_size - base % word_size) % word_size);
    int64_t total = 0;
    if (mask == 0) {
        /* Fast path: every aligned word matches. */
        size_t n = (len - off) / word_size;
        for (size_t i = 0; i < n && i < max_matches; i++)
            matches[i] = base + off + i * word_size;
        return (int64_t)n;
    }
    for (; off <= len && len - off >= word_size; off += word_size) {
        uint64_t word = 0;
        for (unsigned i = 0; i < word_size; i++)
            word |= (uint64_t)mem[off + i] << (8 * i);
        if ((word & mask) == value) {
            if ((uint64_t)total < max_matches)
                matches[total] = base + off;
            total++;
        }
    }
    return total;
}
