/* Wrong: pfa_delete frees the allocator but not its bitmap. */
#include "pfa.h"

#include <stdlib.h>

struct pfa {
    size_t frames;
    size_t free;
    uint64_t *words;
};

static bool get_bit(const pfa_t *a, size_t f)
{
    return (a->words[f / 64] >> (f % 64)) & 1;
}

static void set_bits(pfa_t *a, size_t first, size_t count, bool used)
{
    for (size_t f = first; f < first + count; f++) {
        uint64_t mask = UINT64_C(1) << (f % 64);
        if (used)
            a->words[f / 64] |= mask;
        else
            a->words[f / 64] &= ~mask;
    }
}

pfa_t *pfa_new(size_t frames)
{
    if (frames == 0)
        return NULL;
    pfa_t *a = malloc(sizeof *a);
    if (a == NULL)
        return NULL;
    /* frames / 64 + 1 words cannot overflow (frames + 63 could, for SIZE_MAX). */
    size_t nwords = frames / 64 + (frames % 64 != 0);
    a->words = calloc(nwords, sizeof *a->words);
    if (a->words == NULL) {
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
    free(a);
}

size_t pfa_alloc(pfa_t *a, size_t count)
{
    if (count == 0 || count > a->free)
        return PFA_NONE;
    size_t run = 0; /* free frames seen just before f */
    for (size_t f = 0; f < a->frames; f++) {
        /* Skip a whole used word at once: runs cannot cross it. */
        if (f % 64 == 0 && a->words[f / 64] == UINT64_MAX) {
            run = 0;
            f += 63;
            continue;
        }
        if (get_bit(a, f)) {
            run = 0;
            continue;
        }
        if (++run == count) {
            size_t first = f + 1 - count;
            set_bits(a, first, count, true);
            a->free -= count;
            return first;
        }
    }
    return PFA_NONE;
}

int pfa_release(pfa_t *a, size_t first, size_t count)
{
    /* Written so that first + count cannot overflow. */
    if (count == 0 || first >= a->frames || count > a->frames - first)
        return PFA_BAD_RANGE;
    for (size_t f = first; f < first + count; f++)
        if (!get_bit(a, f))
            return PFA_NOT_ALLOCATED;
    set_bits(a, first, count, false);
    a->free += count;
    return PFA_OK;
}

size_t pfa_free_frames(const pfa_t *a)
{
    return a->free;
}

bool pfa_is_used(const pfa_t *a, size_t frame)
{
    return frame < a->frames && get_bit(a, frame);
}
