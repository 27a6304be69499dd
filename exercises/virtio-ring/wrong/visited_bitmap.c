/* Wrong: detects loops by remembering visited descriptors, so a chain that comes back to a
 * readable descriptor after a writable one is reported as a loop, not as VQ_ERR_ORDER as the
 * statement's counting rule requires; it also reports loops earlier than the size-th descriptor. */
#include "virtq.h"

#include <stdbool.h>
#include <string.h>

int vq_pop(struct vq *q, struct vq_chain *out)
{
    static uint8_t seen[32768 / 8];
    uint16_t pending = (uint16_t)(q->avail->idx - q->last_avail);
    if (pending == 0)
        return VQ_EMPTY;
    if (pending > q->size)
        return VQ_ERR_AVAIL_IDX;
    uint16_t head = q->avail->ring[q->last_avail % q->size];
    if (head >= q->size) {
        out->at = head;
        return VQ_ERR_HEAD;
    }
    memset(seen, 0, sizeof seen);
    uint64_t readable = 0, writable = 0;
    bool seen_writable = false;
    uint16_t i = head, prev = head;
    uint32_t count = 0;
    for (;;) {
        if (seen[i / 8] & (1u << (i % 8))) {
            out->at = prev;
            return VQ_ERR_LOOP;
        }
        seen[i / 8] |= (uint8_t)(1u << (i % 8));
        const struct virtq_desc *d = &q->desc[i];
        count++;
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
        prev = i;
        i = d->next;
    }
    out->head = head;
    out->ndesc = (uint16_t)count;
    out->readable = readable;
    out->writable = writable;
    q->last_avail++;
    return VQ_OK;
}
