// Scratch-console programs shared by the integration and e2e console tests (the C text a candidate
// types into scratch.c), so that both check the same program's output.

/**
 * Reads numbers from stdin into a ring of 3 (the default exercise's API, ring.h) and prints what
 * is left: stdin "1 2 3 4" gives stdout "2 3 4 \n", stderr "left: 0\n" and exit status 7.
 */
export const RING_MAIN = `#include <stdio.h>
#include "ring.h"

int main(void) {
    ring_t *r = ring_new(3);
    int v;
    while (scanf("%d", &v) == 1) ring_push_overwrite(r, v);
    int32_t out;
    while (ring_pop(r, &out)) printf("%d ", (int)out);
    printf("\\n");
    fprintf(stderr, "left: %zu\\n", ring_len(r));
    ring_free(r);
    return 7;
}
`;
