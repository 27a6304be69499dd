/* Wrong: one block (header plus flexible array); checks only that capacity * 4 fits in size_t, not that adding the header still does. */
#include "ring.h"

#include <stdlib.h>

struct ring {
    size_t capacity;
    size_t head;
    size_t len;
    int32_t data[];
};

ring_t *ring_new(size_t capacity)
{
    if (capacity == 0)
        return NULL;
    if (capacity > SIZE_MAX / sizeof(int32_t))
        return NULL;
    ring_t *r = malloc(sizeof *r + capacity * sizeof(int32_t));
    if (r == NULL)
        return NULL;
    r->capacity = capacity;
    r->head = 0;
    r->len = 0;
    return r;
}

void ring_free(ring_t *r)
{
    free(r);
}

size_t ring_capacity(const ring_t *r)
{
    return r->capacity;
}

size_t ring_len(const ring_t *r)
{
    return r->len;
}

bool ring_push(ring_t *r, int32_t value)
{
    if (r->len == r->capacity)
        return false;
    r->data[(r->head + r->len) % r->capacity] = value;
    r->len++;
    return true;
}

bool ring_push_overwrite(ring_t *r, int32_t value)
{
    if (r->len < r->capacity) {
        r->data[(r->head + r->len) % r->capacity] = value;
        r->len++;
        return false;
    }
    r->data[r->head] = value;
    r->head = (r->head + 1) % r->capacity;
    return true;
}

bool ring_pop(ring_t *r, int32_t *out)
{
    if (r->len == 0)
        return false;
    *out = r->data[r->head];
    r->head = (r->head + 1) % r->capacity;
    r->len--;
    return true;
}

bool ring_peek(const ring_t *r, int32_t *out)
{
    if (r->len == 0)
        return false;
    *out = r->data[r->head];
    return true;
}

bool ring_at(const ring_t *r, size_t i, int32_t *out)
{
    if (i >= r->len)
        return false;
    *out = r->data[(r->head + i) % r->capacity];
    return true;
}
