#ifndef PFA_H
#define PFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returned by pfa_alloc when no run of frames can be allocated. */
#define PFA_NONE SIZE_MAX

/* Results of pfa_release. */
#define PFA_OK 0
#define PFA_BAD_RANGE (-1)     /* count is 0, or the run does not lie inside 0 .. frames - 1 */
#define PFA_NOT_ALLOCATED (-2) /* some frame of the run is already free (e.g. a double free) */

/* A page-frame allocator over frames numbered 0 .. frames - 1, keeping one bit
 * per frame. You define struct pfa. */
typedef struct pfa pfa_t;

/* Creates an allocator with every frame free. Returns NULL if frames is 0 or
 * if memory cannot be allocated (without leaking anything). */
pfa_t *pfa_new(size_t frames);

/* Releases everything the allocator owns. Does nothing if a is NULL. */
void pfa_delete(pfa_t *a);

/* Finds the lowest-numbered run of `count` consecutive free frames, marks
 * them used and returns the number of the first one. Returns PFA_NONE (and
 * changes nothing) if count is 0 or if there is no such run. */
size_t pfa_alloc(pfa_t *a, size_t count);

/* Marks frames first .. first + count - 1 free again. Returns PFA_OK,
 * PFA_BAD_RANGE or PFA_NOT_ALLOCATED (checked in that order); on an error
 * nothing changes. */
int pfa_release(pfa_t *a, size_t first, size_t count);

/* The number of free frames. */
size_t pfa_free_frames(const pfa_t *a);

/* Whether `frame` is used; false if frame >= the number of frames. */
bool pfa_is_used(const pfa_t *a, size_t frame);

#endif
