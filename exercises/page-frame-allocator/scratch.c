// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "pfa.h"

int main(void) {
    pfa_t *a = pfa_new(16);
    size_t first = pfa_alloc(a, 4);
    printf("allocated 4 frames at %zu, %zu free\n", first, pfa_free_frames(a));
    printf("release: %d\n", pfa_release(a, first, 4));
    pfa_delete(a);
    return 0;
}
