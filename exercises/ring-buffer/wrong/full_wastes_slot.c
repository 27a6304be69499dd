/* Wrong: tells full from empty by keeping one slot free, so only capacity - 1 values fit. */
#include "ring.h"

#include <stdlib.h>

struct ring {
    size_t capacity;
    size_t head; /* next value to pop */
    size_t tail; /* next free slot */
    int32_t *data;
};

ring_t *ring_new(size_t capacity)
{
    if (capacity == 0)
        return NULL;
    ring_t *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    r->data = calloc(capacity, sizeof *r->data);
    if (r->data == NULL) {
        free(r);
        return NULL;
    }
    r->capacity = capacity;
    r->head = r->tail = 0;
    return r;
}

void ring_free(ring_t *r)
{
    if (r != NULL) {
        free(r->data);
        free(r);
    }
}

size_t ring_capacity(const ring_t *r)
{
    return r->capacity;
}

size_t ring_len(const ring_t *r)
{
    return (r->tail + r->capacity - r->head) % r->capacity;
}

static bool full(const ring_t *r)
{
    return (r->tail + 1) % r->capacity == r->head;
}

bool ring_push(ring_t *r, int32_t value)
{
    if (full(r))
        return false;
    r->data[r->tail] = value;
    r->tail = (r->tail + 1) % r->capacity;
    return true;
}

bool ring_push_overwrite(ring_t *r, int32_t value)
{
    bool dropped = false;
    if (full(r)) {
        r->head = (r->head + 1) % r->capacity;
        dropped = true;
    }
    r->data[r->tail] = value;
    r->tail = (r->tail + 1) % r->capacity;
    return dropped;
}

bool ring_pop(ring_t *r, int32_t *out)
{
    if (r->head == r->tail)
        return false;
    *out = r->data[r->head];
    r->head = (r->head + 1) % r->capacity;
    return true;
}

bool ring_peek(const ring_t *r, int32_t *out)
{
    if (r->head == r->tail)
        return false;
    *out = r->data[r->head];
    return true;
}

bool ring_at(const ring_t *r, size_t i, int32_t *out)
{
    if (i >= ring_len(r))
        return false;
    *out = r->data[(r->head + i) % r->capacity];
    return true;
}
