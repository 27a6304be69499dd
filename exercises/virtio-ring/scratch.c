// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "virtq.h"

int main(void) {
    struct virtq_desc desc[4] = {
        {.addr = 0x1000, .len = 64, .flags = VIRTQ_DESC_F_NEXT, .next = 1},
        {.addr = 0x2000, .len = 128, .flags = VIRTQ_DESC_F_WRITE, .next = 0},
    };
    // The available ring as the driver lays it out: flags, idx (one chain made available), ring[4].
    static const uint16_t avail[2 + 4] = {0, 1, 0};
    struct vq q = {.desc = desc, .avail = (const struct virtq_avail *)avail, .size = 4, .last_avail = 0};
    struct vq_chain chain;
    int r = vq_pop(&q, &chain);
    printf("vq_pop = %d: head %u, %u descriptors, %llu readable, %llu writable\n", r, chain.head, chain.ndesc,
           (unsigned long long)chain.readable, (unsigned long long)chain.writable);
    return 0;
}
