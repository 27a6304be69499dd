/* Wrong: loops over guest addresses up to base + len, which wraps to 0 when the buffer ends at the top of the address space. */
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

    uint64_t end = base + len;
    uint64_t first = (base + word_size - 1) & ~(uint64_t)(word_size - 1);
    int64_t total = 0;
    for (uint64_t addr = first; addr >= base && addr + word_size <= end; addr += word_size) {
        const uint8_t *p = mem + (addr - base);
        uint64_t word = 0;
        for (unsigned i = 0; i < word_size; i++)
            word |= (uint64_t)p[i] << (8 * i);
        if ((word & mask) == value) {
            if ((uint64_t)total < max_matches)
                matches[total] = addr;
            total++;
        }
    }
    return total;
}
