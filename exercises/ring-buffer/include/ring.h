#ifndef RING_H
#define RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A fixed-capacity FIFO queue of int32_t values. You define struct ring. */
typedef struct ring ring_t;

/* Creates an empty ring that can hold `capacity` values.
 * Returns NULL if capacity is 0 or if memory cannot be allocated. */
ring_t *ring_new(size_t capacity);

/* Releases the ring. Does nothing if r is NULL. */
void ring_free(ring_t *r);

/* The capacity given to ring_new. */
size_t ring_capacity(const ring_t *r);

/* The number of values currently stored. */
size_t ring_len(const ring_t *r);

/* Appends value as the newest element. Returns false (and changes nothing)
 * if the ring is full. */
bool ring_push(ring_t *r, int32_t value);

/* Appends value as the newest element. If the ring is full, the oldest
 * element is discarded first to make room. Returns true if an element was
 * discarded, false otherwise. */
bool ring_push_overwrite(ring_t *r, int32_t value);

/* Removes the oldest element and stores it in *out. Returns false if the
 * ring is empty; *out is then left unchanged. */
bool ring_pop(ring_t *r, int32_t *out);

/* Stores the oldest element in *out without removing it. Returns false if
 * the ring is empty; *out is then left unchanged. */
bool ring_peek(const ring_t *r, int32_t *out);

/* Stores the i-th element in *out without removing it, counting from the
 * oldest (i == 0 is the element ring_peek returns). Returns false if
 * i >= ring_len(r); *out is then left unchanged. */
bool ring_at(const ring_t *r, size_t i, int32_t *out);

#endif
