/* Wrong: compares (word & mask) == (value & mask) on all 64 bits, so bits of value and mask above the word size still count. */
#include "memsearch.h"

int64_t mem_search(const uint8_t *mem, size_t len, uint64_t base,
                   unsigned word_size, uint64_t value, uint64_t mask,
                   uint64_t *matches, size_t max_matches)
{
    if (word_size != 1 && word_size != 2 && word_size != 4 && word_size != 8)
        return MS_ERR_WORD_SIZE;

    value &= mask;

    /* Distance from base up to the next aligned guest address. */
    size_t off = (size_t)((word_size - base % word_size) % word_size);
    int64_t total = 0;
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
