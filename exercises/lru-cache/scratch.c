// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "lru.h"

static int writeback(void *ctx, uint64_t block, const void *data) {
    (void)ctx;
    (void)data;
    printf("write back block %llu\n", (unsigned long long)block);
    return 0;
}

int main(void) {
    lru_t *c = lru_new(2, 8, writeback, NULL);
    lru_insert(c, 1, "block 1", true);
    lru_insert(c, 2, "block 2", false);
    lru_insert(c, 3, "block 3", false);
    printf("%zu cached, block 1 %s\n", lru_count(c), lru_lookup(c, 1) ? "present" : "evicted");
    lru_destroy(c);
    return 0;
}
