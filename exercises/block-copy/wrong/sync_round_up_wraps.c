/* Wrong: with sync, rounds the byte count up to whole blocks as (n + bs - 1) / bs * bs, which wraps around for a block size near SIZE_MAX: the padded size comes out smaller than the data. */
#include "blockcopy.h"

#include <string.h>

/* Otherwise as the reference: every product of a block count and the block size is
 * compared by division first (size_t is 32 bits here). */

int64_t block_copy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   const struct bc_args *args)
{
    size_t bs = args->bs;
    if (bs == 0)
        return BC_ERR_BLOCK_SIZE;
    /* skip * bs <= src_len  <=>  skip <= src_len / bs, for integers. */
    if (args->skip > src_len / bs)
        return BC_ERR_SKIP;
    if (args->seek > dst_len / bs)
        return BC_ERR_SEEK;

    size_t in_off = args->skip * bs;
    size_t out_off = args->seek * bs;
    size_t left = src_len - in_off;

    /* Either count whole blocks fit in what is left of the input, or the
     * input ends first and everything that is left is copied. */
    size_t n = args->count <= left / bs ? args->count * bs : left;
    size_t total = args->sync ? (n + bs - 1) / bs * bs : n;

    size_t room = dst_len - out_off;
    if (n > room || total > room)
        return BC_ERR_NO_SPACE;

    /* memmove reads as if before writing, which is the overlap rule. */
    memmove(dst + out_off, src + in_off, n);
    memset(dst + out_off + n, 0, total - n);
    return (int64_t)total;
}
