/* Wrong: when the array cannot be allocated, returns NULL without freeing the struct it
 * already allocated. */
#include "ring.h"

#include <stdlib.h>

struct ring {
    size_t capacity;
    size_t head; /* index of the oldest element */
    size_t len;
    int32_t *data;
};

ring_t *ring_new(size_t capacity)
{
    if (capacity == 0)
        return NULL;
    ring_t *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    /* calloc checks capacity * sizeof(int32_t) for overflow. */
    r->data = calloc(capacity, sizeof *r->data);
    if (r->data == NULL)
        return NULL;
    r->capacity = capacity;
    r->head = 0;
    r->len = 0;
    return r;
}

void ring_free(ring_t *r)
{
    if (r == NULL)
        return;
    free(r->data);
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

/* Physical index of the i-th oldest element; requires i < capacity. */
static size_t slot(const ring_t *r, size_t i)
{
    /* head < capacity and i < capacity, so subtracting avoids overflowing
     * head + i when capacity is close to SIZE_MAX. */
    return i < r->capacity - r->head ? r->head + i : i - (r->capacity - r->head);
}

/* Index following i, wrapping to 0 at the end of the array. */
static size_t next(const ring_t *r, size_t i)
{
    return i + 1 == r->capacity ? 0 : i + 1;
}

bool ring_push(ring_t *r, int32_t value)
{
    if (r->len == r->capacity)
        return false;
    r->data[slot(r, r->len)] = value;
    r->len++;
    return true;
}

bool ring_push_overwrite(ring_t *r, int32_t value)
{
    if (r->len < r->capacity) {
        r->data[slot(r, r->len)] = value;
        r->len++;
        return false;
    }
    /* Full: the oldest slot becomes the newest one. */
    r->data[r->head] = value;
    r->head = next(r, r->head);
    return true;
}

bool ring_pop(ring_t *r, int32_t *out)
{
    if (r->len == 0)
        return false;
    *out = r->data[r->head];
    r->head = next(r, r->head);
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
    *out = r->data[slot(r, i)];
    return true;
}
