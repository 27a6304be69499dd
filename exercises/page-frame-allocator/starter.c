#include "pfa.h"

#include <stdlib.h>

struct pfa {
    size_t frames;
    /* TODO: the bitmap, and anything else you need */
};

pfa_t *pfa_new(size_t frames)
{
    /* TODO */
    (void)frames;
    return NULL;
}

void pfa_delete(pfa_t *a)
{
    /* TODO */
    (void)a;
}

size_t pfa_alloc(pfa_t *a, size_t count)
{
    /* TODO */
    (void)a;
    (void)count;
    return PFA_NONE;
}

int pfa_release(pfa_t *a, size_t first, size_t count)
{
    /* TODO */
    (void)a;
    (void)first;
    (void)count;
    return PFA_BAD_RANGE;
}

size_t pfa_free_frames(const pfa_t *a)
{
    /* TODO */
    (void)a;
    return 0;
}

bool pfa_is_used(const pfa_t *a, size_t frame)
{
    /* TODO */
    (void)a;
    (void)frame;
    return false;
}
