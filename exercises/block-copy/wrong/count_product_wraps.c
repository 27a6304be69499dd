/* Wrong: special-cases BC_ALL but computes count * bs for any other count, which wraps around for
 * a huge count and copies far too little. */
#include "blockcopy.h"

#include <string.h>

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
    size_t want = args->count == BC_ALL ? left : args->count * bs;
    size_t n = want < left ? want : left;
    size_t pad = args->sync && n % bs != 0 ? bs - n % bs : 0;
    if (n > dst_len - out || pad > dst_len - out - n)
        return BC_ERR_NO_SPACE;
    memmove(dst + out, src + in, n);
    memset(dst + out + n, 0, pad);
    return (int64_t)(n + pad);
}
