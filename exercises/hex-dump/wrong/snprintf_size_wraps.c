/* Wrong: appends with pos += snprintf(out + pos, cap - pos, ...); once the
 * dump is truncated pos passes cap, cap - pos wraps around to a huge size and
 * the next snprintf writes past the end of out. */
#include "hexdump.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

size_t hex_dump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap)
{
    size_t pos = 0;
    bool starred = false;
    for (size_t at = 0; at < len; at += 16) {
        size_t n = len - at < 16 ? len - at : 16;
        if (at >= 16 && n == 16 && memcmp(data + at, data + at - 16, 16) == 0) {
            if (!starred)
                pos += snprintf(out + pos, cap - pos, "*\n");
            starred = true;
            continue;
        }
        starred = false;
        pos += snprintf(out + pos, cap - pos, "%08" PRIx64 " ", offset + at);
        for (size_t i = 0; i < 16; i++) {
            if (i == 8)
                pos += snprintf(out + pos, cap - pos, " ");
            if (i < n)
                pos += snprintf(out + pos, cap - pos, " %02x", data[at + i]);
            else
                pos += snprintf(out + pos, cap - pos, "   ");
        }
        pos += snprintf(out + pos, cap - pos, "  |");
        for (size_t i = 0; i < n; i++) {
            uint8_t c = data[at + i];
            pos += snprintf(out + pos, cap - pos, "%c", c >= 0x20 && c <= 0x7e ? c : '.');
        }
        pos += snprintf(out + pos, cap - pos, "|\n");
    }
    pos += snprintf(out + pos, cap - pos, "%08" PRIx64 "\n", offset + len);
    return pos;
}
