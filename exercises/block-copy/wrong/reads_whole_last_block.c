/* Wrong: like dd, reads each block into a staging buffer and then writes the bytes that were
 * really there; but it always reads a full block, so the short last block reads past the end of
 * the input. (It produces the right output when harmless bytes follow the input.) */
#include "blockcopy.h"

#include <string.h>

static uint8_t stage[1 << 17];

int64_t block_copy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   const struct bc_args *args)
{
    size_t bs = args->bs;
    if (bs == 0)
        return BC_ERR_BLOCK_SIZE;
    if (args->skip > src_len / bs)
        return BC_ERR_SKIP;
    if (args->seek > dst_len / bs)
        return BC_ERR_SEEK;
    size_t in = args->skip * bs, out = args->seek * bs;
    size_t left = src_len - in;
    size_t n = args->count <= left / bs ? args->count * bs : left;
    size_t pad = args->sync && n % bs != 0 ? bs - n % bs : 0;
    if (n > dst_len - out || pad > dst_len - out - n)
        return BC_ERR_NO_SPACE;
    if (n > sizeof stage || bs > sizeof stage) {
        memmove(dst + out, src + in, n);
    } else {
        /* Stage all of it first (overlap-safe), rounding up to whole blocks. */
        size_t blocks = (n + bs - 1) / bs;
        if (blocks * bs <= sizeof stage) {
            memcpy(stage, src + in, blocks * bs);
            memcpy(dst + out, stage, n);
        } else {
            memmove(dst + out, src + in, n);
        }
    }
    memset(dst + out + n, 0, pad);
    return (int64_t)(n + pad);
}
