/* Wrong: checks each frame of a release in turn (past the end: bad range; free: not allocated), so a run that starts on a free frame and ends past the end reports not allocated instead of bad range. */
#include "pfa.h"

#include <stdlib.h>

/* Otherwise as the reference: bit f % 64 of words[f / 64] is 1 when frame f is used. */
struct pfa {
    size_t frames;
    size_t free;
    uint64_t words[];
};

static bool is_used(const pfa_t *a, size_t f)
{
    return (a->words[f / 64] >> (f % 64)) & 1;
}

static void mark_run(pfa_t *a, size_t first, size_t count, bool used)
{
    for (size_t i = 0; i < count; i++) {
        size_t f = first + i;
        uint64_t bit = UINT64_C(1) << (f % 64);
        if (used)
            a->words[f / 64] |= bit;
        else
            a->words[f / 64] &= ~bit;
    }
}

/* Whether every frame of the run is used (used == true) or free (false). */
static bool run_is(const pfa_t *a, size_t first, size_t count, bool used)
{
    for (size_t i = 0; i < count; i++)
        if (is_used(a, first + i) != used)
            return false;
    return true;
}

pfa_t *pfa_new(size_t frames)
{
    if (frames == 0)
        return NULL;
    /* frames / 64 + 1 words: enough for every frame (one spare word when
     * frames is a multiple of 64), and unlike (frames + 63) / 64 it cannot
     * overflow. The byte count cannot overflow either: it is at most about
     * SIZE_MAX / 8. One allocation holds the header and the bitmap. */
    size_t nwords = frames / 64 + 1;
    pfa_t *a = calloc(1, sizeof *a + nwords * sizeof(uint64_t));
    if (a == NULL)
        return NULL;
    a->frames = frames;
    a->free = frames;
    return a;
}

void pfa_delete(pfa_t *a)
{
    free(a);
}

size_t pfa_alloc(pfa_t *a, size_t count)
{
    if (count == 0 || count > a->frames)
        return PFA_NONE;
    /* First fit: the lowest start whose run ends by the last frame. */
    for (size_t first = 0; first <= a->frames - count; first++) {
        if (run_is(a, first, count, false)) {
            mark_run(a, first, count, true);
            a->free -= count;
            return first;
        }
    }
    return PFA_NONE;
}

int pfa_release(pfa_t *a, size_t first, size_t count)
{
    /* Written so that first + count is never computed: it could overflow. */
    if (count == 0)
        return PFA_BAD_RANGE;
    for (size_t i = 0; i < count; i++) {
        size_t f = first + i;
        if (f < first || f >= a->frames)
            return PFA_BAD_RANGE;
        if (!is_used(a, f))
            return PFA_NOT_ALLOCATED;
    }
    mark_run(a, first, count, false);
    a->free += count;
    return PFA_OK;
}

size_t pfa_free_frames(const pfa_t *a)
{
    return a->free;
}

bool pfa_is_used(const pfa_t *a, size_t frame)
{
    return frame < a->frames && is_used(a, frame);
}
