#include "virtq.h"

int vq_pop(struct vq *q, struct vq_chain *out)
{
    /* TODO */
    (void)q;
    (void)out;
    return VQ_EMPTY;
}
