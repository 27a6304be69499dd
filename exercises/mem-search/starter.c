#include "memsearch.h"

int64_t mem_search(const uint8_t *mem, size_t len, uint64_t base,
                   unsigned word_size, uint64_t value, uint64_t mask,
                   uint64_t *matches, size_t max_matches)
{
    /* TODO */
    (void)mem;
    (void)len;
    (void)base;
    (void)word_size;
    (void)value;
    (void)mask;
    (void)matches;
    (void)max_matches;
    return 0;
}
