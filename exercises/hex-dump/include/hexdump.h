#ifndef HEXDUMP_H
#define HEXDUMP_H

#include <stddef.h>
#include <stdint.h>

/* Formats the `len` bytes at `data` as a canonical hex dump (like
 * `hexdump -C`), numbering the first byte `offset`.
 *
 * Writes at most `cap` bytes to `out`: the first min(total, cap - 1)
 * characters of the dump followed by a NUL. With cap == 0 nothing is written
 * (out may be NULL). Never writes outside out[0 .. cap - 1] and never reads
 * outside data[0 .. len - 1].
 *
 * Returns the length of the whole dump (without the NUL), even when it did
 * not fit: the dump was truncated exactly when the result is >= cap. */
size_t hex_dump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap);

#endif
