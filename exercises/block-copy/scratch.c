// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "blockcopy.h"

int main(void) {
    const uint8_t src[] = "hello, world";
    uint8_t dst[16] = {0};
    struct bc_args args = {.bs = 4, .skip = 0, .seek = 0, .count = BC_ALL, .sync = false};
    int64_t n = block_copy(src, 12, dst, sizeof dst, &args);
    printf("copied %lld bytes: %.12s\n", (long long)n, (const char *)dst);
    return 0;
}
