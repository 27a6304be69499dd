/* Wrong: copies a whole line with memcpy when it fits, but 'fits' counts the slot kept for the NUL, so a line that ends exactly at out[cap - 1] is copied whole and the NUL lands past the buffer. */
#include "hexdump.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Otherwise as the reference: each line is formatted in a small local buffer, then
 * appended through emit(), which stores what fits and counts everything. */

struct sink {
    char *out;
    size_t cap;
    size_t written; /* characters stored in out: at most cap - 1 */
    size_t total;   /* characters of the whole dump so far */
};

static void emit(struct sink *s, const char *text, size_t n)
{
    if (s->cap > 0 && s->written + n <= s->cap) {
        /* Fast path: the whole piece fits. */
        memcpy(s->out + s->written, text, n);
        s->written += n;
    } else {
        for (size_t i = 0; i < n; i++) {
            if (s->written + 1 < s->cap)
                s->out[s->written++] = text[i];
        }
    }
    s->total += n;
}

/* One line of the dump for `n` (1 to 16) bytes at `p`; returns its length. */
static size_t format_line(char *line, const uint8_t *p, size_t n, uint64_t at)
{
    int k = sprintf(line, "%08" PRIx64 " ", at);
    for (size_t i = 0; i < 16; i++) {
        if (i == 8)
            k += sprintf(line + k, " ");
        if (i < n)
            k += sprintf(line + k, " %02x", p[i]);
        else
            k += sprintf(line + k, "   "); /* keeps the ASCII column aligned */
    }
    k += sprintf(line + k, "  |");
    for (size_t i = 0; i < n; i++)
        line[k++] = p[i] >= 0x20 && p[i] <= 0x7e ? (char)p[i] : '.';
    k += sprintf(line + k, "|\n");
    return (size_t)k;
}

size_t hex_dump(const uint8_t *data, size_t len, uint64_t offset, char *out, size_t cap)
{
    struct sink s = {out, cap, 0, 0};
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
        out[s.written] = '\0';
    return s.total;
}
