#ifndef VIRTQ_H
#define VIRTQ_H

#include <stddef.h>
#include <stdint.h>

/* Descriptor flags (other bits are ignored). */
#define VIRTQ_DESC_F_NEXT 1  /* the chain continues at `next` */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else it reads it) */

/* One entry of the descriptor table, written by the guest. */
struct virtq_desc {
    uint64_t addr;  /* guest-physical address of the buffer (not examined here) */
    uint32_t len;   /* length of the buffer in bytes */
    uint16_t flags; /* VIRTQ_DESC_F_* */
    uint16_t next;  /* next descriptor of the chain, if flags has VIRTQ_DESC_F_NEXT */
};

/* The available ring, written by the guest. */
struct virtq_avail {
    uint16_t flags;  /* not examined here */
    uint16_t idx;    /* free-running: number of heads ever made available, mod 2^16 */
    uint16_t ring[]; /* ring[0 .. size - 1]: heads of chains */
};

/* The device's view of one queue. */
struct vq {
    const struct virtq_desc *desc;   /* desc[0 .. size - 1] */
    const struct virtq_avail *avail; /* avail->ring[0 .. size - 1] */
    uint16_t size;                   /* a power of two, 1 .. 32768 */
    uint16_t last_avail;             /* free-running index of the next entry to take */
};

/* What vq_pop reports. */
struct vq_chain {
    uint16_t head;     /* on success: the chain's first descriptor */
    uint16_t ndesc;    /* on success: number of descriptors in the chain */
    uint64_t readable; /* on success: sum of len over device-readable descriptors */
    uint64_t writable; /* on success: sum of len over device-writable descriptors */
    uint16_t at;       /* on VQ_ERR_HEAD .. VQ_ERR_ORDER: where the error is */
};

#define VQ_EMPTY 0
#define VQ_OK 1
#define VQ_ERR_AVAIL_IDX (-1) /* avail->idx is more than size entries ahead */
#define VQ_ERR_HEAD (-2)      /* head >= size; at = head */
#define VQ_ERR_NEXT (-3)      /* next >= size; at = the descriptor holding it */
#define VQ_ERR_LOOP (-4)      /* chain longer than size; at = its size-th descriptor */
#define VQ_ERR_ORDER (-5)     /* readable after writable; at = the readable one */

/* Takes the next available chain, if any, and describes it in *out.
 * See the statement for the exact rules. */
int vq_pop(struct vq *q, struct vq_chain *out);

#endif
