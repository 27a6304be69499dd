/* Wrong: keeps one byte per frame instead of one bit, so a large allocator
 * does not fit in memory (otherwise correct). */
#include "pfa.h"

#include <stdlib.h>

struct pfa {
    size_t frames;
    size_t free;
    unsigned char *used;
};

pfa_t *pfa_new(size_t frames)
{
    if (frames == 0)
        return NULL;
    pfa_t *a = malloc(sizeof *a);
    if (a == NULL)
        return NULL;
    a->used = calloc(frames, 1);
    if (a->used == NULL) {
        free(a);
        return NULL;
    }
    a->frames = frames;
    a->free = frames;
    return a;
}

void pfa_delete(pfa_t *a)
{
    if (a == NULL)
        return;
    free(a->used);
    free(a);
}

size_t pfa_alloc(pfa_t *a, size_t count)
{
    if (count == 0)
        return PFA_NONE;
    size_t run = 0;
    for (size_t f = 0; f < a->frames; f++) {
        run = a->used[f] ? 0 : run + 1;
        if (run == count) {
            size_t first = f + 1 - count;
            for (size_t g = first; g <= f; g++)
                a->used[g] = 1;
            a->free -= count;
            return first;
        }
    }
    return PFA_NONE;
}

int pfa_release(pfa_t *a, size_t first, size_t count)
{
    if (count == 0 || first >= a->frames || count > a->frames - first)
        return PFA_BAD_RANGE;
    for (size_t f = first; f < first + count; f++)
        if (!a->used[f])
            return PFA_NOT_ALLOCATED;
    for (size_t f = first; f < first + count; f++)
        a->used[f] = 0;
    a->free += count;
    return PFA_OK;
}

size_t pfa_free_frames(const pfa_t *a)
{
    return a->free;
}

bool pfa_is_used(const pfa_t *a, size_t frame)
{
    return frame < a->frames && a->used[frame];
}
