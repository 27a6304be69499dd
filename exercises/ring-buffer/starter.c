#include "ring.h"

#include <stdlib.h>

struct ring {
    size_t capacity;
    /* TODO: add the fields you need */
};

ring_t *ring_new(size_t capacity)
{
    /* TODO */
    (void)capacity;
    return NULL;
}

void ring_free(ring_t *r)
{
    /* TODO */
    (void)r;
}

size_t ring_capacity(const ring_t *r)
{
    return r->capacity;
}

size_t ring_len(const ring_t *r)
{
    /* TODO */
    (void)r;
    return 0;
}

bool ring_push(ring_t *r, int32_t value)
{
    /* TODO */
    (void)r;
    (void)value;
    return false;
}

bool ring_push_overwrite(ring_t *r, int32_t value)
{
    /* TODO */
    (void)r;
    (void)value;
    return false;
}

bool ring_pop(ring_t *r, int32_t *out)
{
    /* TODO */
    (void)r;
    (void)out;
    return false;
}

bool ring_peek(const ring_t *r, int32_t *out)
{
    /* TODO */
    (void)r;
    (void)out;
    return false;
}

bool ring_at(const ring_t *r, size_t i, int32_t *out)
{
    /* TODO */
    (void)r;
    (void)i;
    (void)out;
    return false;
}
