#ifndef BLOCKCOPY_H
#define BLOCKCOPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* count value meaning "until the input ends". */
#define BC_ALL SIZE_MAX

/* Errors, checked in this order; on error nothing is written. */
#define BC_ERR_BLOCK_SIZE (-1) /* bs is 0 */
#define BC_ERR_SKIP (-2)       /* skip * bs is past the end of the input */
#define BC_ERR_SEEK (-3)       /* seek * bs is past the end of the output */
#define BC_ERR_NO_SPACE (-4)   /* the bytes to write do not fit in the output */

/* The operands of one copy, named as in dd(1). */
struct bc_args {
    size_t bs;    /* block size in bytes */
    size_t skip;  /* input blocks to skip before reading */
    size_t seek;  /* output blocks to skip before writing */
    size_t count; /* blocks to copy at most; BC_ALL for "until the input ends" */
    bool sync;    /* pad a short last block with zero bytes to a full block */
};

/* Copies blocks from src[0 .. src_len - 1] to dst[0 .. dst_len - 1] as described
 * in the statement. src and dst may overlap (even be the same image): the result
 * is as if all input were read before anything is written. Returns the number of
 * bytes written to dst (padding included), or a negative BC_ERR_* code. */
int64_t block_copy(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_len,
                   const struct bc_args *args);

#endif
