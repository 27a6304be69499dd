/* Wrong: adds the space between the two groups of 8 only when a 9th byte is present, so lines of 8 bytes or fewer lose a column. */
#include "hexdump.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct sink {
    char *out;
    size_t cap;
    size_t total; /* characters of the whole dump so far */
};

static void emit(struct sink *s, const char *text, size_t n)
{
    /* Characters at positions < cap - 1 fit; the last byte is kept for the NUL. */
    if (s->cap > 0 && s->total < s->cap - 1) {
        size_t room = s->cap - 1 - s->total;
        memcpy(s->out + s->total, text, n < room ? n : room);
    }
    s->total += n;
}

/* One line of the dump for `n` (1 to 16) bytes at `p`. */
static size_t format_line(char *line, const uint8_t *p, size_t n, uint64_t at)
{
    size_t k = (size_t)sprintf(line, "%08" PRIx64 " ", at);
    for (size_t i = 0; i < 16; i++) {
        if (i == 8 && i < n)
            line[k++] = ' ';
        if (i < n)
            k += (size_t)sprintf(line + k, " %02x", p[i]);
        else {
            memcpy(line + k, "   ", 3); /* keep the ASCII column aligned */
            k += 3;
        }
    }
    memcpy(line + k, "  |", 3);
    k += 3;
    for (size_t i = 0; i < n; i++)
        line[k++] = p[i] >= 0x20 && p[i] <= 0x7e ? (char)p[i] : '.';
    memcpy(line + k, "|\n", 2);
    return k + 2;
}

size_t hex_dump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap)
{
    struct sink s = {out, cap, 0};
    char line[128];
    bool starred = false; /* inside a run of lines equal to the one before */

    for (size_t at = 0; at < len; at += 16) {
        size_t n = len - at < 16 ? len - at : 16;
        /* Only full lines are squeezed, so the comparison never reads past data + len. */
        if (at >= 16 && n == 16 && memcmp(data + at, data + at - 16, 16) == 0) {
            if (!starred)
                emit(&s, "*\n", 2);
            starred = true;
            continue;
        }
        starred = false;
        emit(&s, line, format_line(line, data + at, n, offset + at));
    }
    emit(&s, line, (size_t)sprintf(line, "%08" PRIx64 "\n", offset + len));
    if (cap > 0)
        out[s.total < cap - 1 ? s.total : cap - 1] = '\0';
    return s.total;
}
