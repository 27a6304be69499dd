/* Wrong: checks for a loop (the size-th descriptor linking to a valid next) as soon as it counts a descriptor, before the order check, so an order error on that descriptor is reported as a loop. */
#include "virtq.h"

#include <stdbool.h>

/* Otherwise as the reference. Everything in desc[] and avail[] comes from the guest
 * and is checked before it is used as an index; the walk counts descriptors
 * instead of remembering visits, so it needs no memory of its own. */

int vq_pop(struct vq *q, struct vq_chain *out)
{
    /* uint16_t arithmetic wraps like the free-running indices do. */
    uint16_t pending = (uint16_t)(q->avail->idx - q->last_avail);
    if (pending == 0)
        return VQ_EMPTY;
    if (pending > q->size)
        return VQ_ERR_AVAIL_IDX;

    /* size is a power of two, so % size agrees with the 2^16 wrap-around. */
    uint16_t head = q->avail->ring[q->last_avail % q->size];
    if (head >= q->size) {
        out->at = head;
        return VQ_ERR_HEAD;
    }

    uint64_t readable = 0, writable = 0;
    bool seen_writable = false;
    uint16_t i = head;
    uint32_t count = 0;
    for (;;) {
        const struct virtq_desc *d = &q->desc[i];
        count++;
        if ((d->flags & VIRTQ_DESC_F_NEXT) && d->next < q->size && count == q->size) {
            out->at = i;
            return VQ_ERR_LOOP;
        }
        if (d->flags & VIRTQ_DESC_F_WRITE) {
            writable += d->len;
            seen_writable = true;
        } else {
            if (seen_writable) {
                out->at = i;
                return VQ_ERR_ORDER;
            }
            readable += d->len;
        }
        if (!(d->flags & VIRTQ_DESC_F_NEXT))
            break;
        if (d->next >= q->size) {
            out->at = i;
            return VQ_ERR_NEXT;
        }
        if (count == q->size) {
            out->at = i;
            return VQ_ERR_LOOP;
        }
        i = d->next;
    }

    out->head = head;
    out->ndesc = (uint16_t)count;
    out->readable = readable;
    out->writable = writable;
    q->last_avail++;
    return VQ_OK;
}
