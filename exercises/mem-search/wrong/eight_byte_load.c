/* Wrong: always loads 8 bytes and masks the word down to its width, so near the end of the
 * buffer it reads up to 7 bytes past it (harmless when zeros follow, a trap at the end of memory). */
#include "memsearch.h"


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
    for (; off <= len && len - off >= word_size; off += word_size) {
        uint64_t word = 0;
        /* Always load 8 bytes and let the width mask drop the extra ones. */
        for (unsigned i = 0; i < 8; i++)
            word |= (uint64_t)mem[off + i] << (8 * i);
        word &= width;
        if ((word & mask) == value) {
            if ((uint64_t)total < max_matches)
                matches[total] = base + off;
            total++;
        }
    }
    return total;
}
