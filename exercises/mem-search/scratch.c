// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "memsearch.h"

int main(void) {
    const uint8_t mem[] = {1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0};
    uint64_t matches[4];
    int64_t n = mem_search(mem, sizeof mem, 0x1000, 4, 1, 0xffffffff, matches, 4);
    printf("%lld matches\n", (long long)n);
    for (int64_t i = 0; i < n && i < 4; i++) printf("  at 0x%llx\n", (unsigned long long)matches[i]);
    return 0;
}
