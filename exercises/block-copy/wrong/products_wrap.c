/* Wrong: compares skip * bs and seek * bs with the image sizes without noticing that the products
 * can wrap around a 32-bit size_t. */
#include "blockcopy.h"

#include <string.h>

int64_t block_copy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   const struct bc_args *args)
{
    size_t bs = args->bs;
    if (bs == 0)
        return BC_ERR_BLOCK_SIZE;
    size_t in = args->skip * bs, out = args->seek * bs;
    if (in > src_len)
        return BC_ERR_SKIP;
    if (out > dst_len)
        return BC_ERR_SEEK;
    size_t left = src_len - in;
    size_t n = args->count <= left / bs ? args->count * bs : left;
    size_t pad = args->sync && n % bs != 0 ? bs - n % bs : 0;
    if (n > dst_len - out || pad > dst_len - out - n)
        return BC_ERR_NO_SPACE;
    memmove(dst + out, src + in, n);
    memset(dst + out + n, 0, pad);
    return (int64_t)(n + pad);
}
