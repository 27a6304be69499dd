/* Test driver for mem-search: reads one command per line from stdin and
 * prints one line per search.
 *
 *   mem ADDR           starts a new, empty buffer at guest address ADDR
 *   bytes HH HH ...    appends bytes (two hex digits each)
 *   fill N HH          appends N copies of byte HH
 *   word SIZE VALUE    appends VALUE as a little-endian word of SIZE bytes
 *   search SIZE VALUE MASK MAX
 *                      mem_search on the buffer; matches is NULL if MAX is 0
 *
 * Numbers are decimal or 0x-prefixed hex. Each search runs twice: first with
 * the buffer placed so that its host address is never aligned like its guest
 * address (zero bytes around it), then with a copy that ends exactly at the
 * end of WebAssembly memory, in pages the driver grows itself, so that a read
 * past the buffer traps instead of finding harmless zeros. Both runs must give
 * the same result.
 */
#include "memsearch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_MAX 4096
#define SLACK 32
#define OUT_MAX 64                 /* largest MAX a test may ask for */
#define OUT_SLOTS (BUF_MAX + SLACK) /* room for every possible match */
#define PAGE 65536
#define UNWRITTEN UINT64_C(0xeeeeeeeeeeeeeeee)

static _Alignas(16) uint8_t storage[BUF_MAX + SLACK];
static uint8_t *buf = storage;
static size_t buf_len;
static uint64_t base;
static uint64_t out[OUT_SLOTS];
static uint64_t out2[OUT_SLOTS];

static bool parse_u64(const char *s, uint64_t *v)
{
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0')
        return false;
    *v = x;
    return true;
}

static bool parse_byte(const char *s, uint8_t *v)
{
    if (s == NULL || strlen(s) != 2)
        return false;
    char *end;
    unsigned long x = strtoul(s, &end, 16);
    if (*end != '\0')
        return false;
    *v = (uint8_t)x;
    return true;
}

static bool append(uint8_t byte)
{
    if (buf_len == BUF_MAX)
        return false;
    buf[buf_len++] = byte;
    return true;
}

static void new_buffer(uint64_t addr)
{
    memset(storage, 0, sizeof storage);
    /* Host address = guest address + 3 (mod 8): misaligned for sizes 2, 4, 8.
     * At least 8 zero bytes lie before the buffer, and SLACK - 15 after it. */
    buf = storage + 8 + (addr + 3) % 8;
    buf_len = 0;
    base = addr;
}

static void search(char *args)
{
    char *fields[4];
    uint64_t n[4];
    for (int i = 0; i < 4; i++) {
        fields[i] = strtok(i == 0 ? args : NULL, " \t");
        if (!parse_u64(fields[i], &n[i])) {
            printf("search: bad arguments\n");
            return;
        }
    }
    if (n[0] > 64 || n[3] > OUT_MAX) {
        printf("search: argument out of range for this driver\n");
        return;
    }
    unsigned size = (unsigned)n[0];
    size_t max = (size_t)n[3];

    for (size_t i = 0; i < OUT_SLOTS; i++)
        out[i] = UNWRITTEN;
    int64_t r = mem_search(buf, buf_len, base, size, n[1], n[2], max > 0 ? out : NULL, max);

    /* Second run: the same bytes, flush against the end of memory. */
    bool same = true;
    size_t pages = buf_len / PAGE + 1;
    size_t old_pages = __builtin_wasm_memory_grow(0, pages);
    if (old_pages != SIZE_MAX) {
        uint8_t *flush = (uint8_t *)((old_pages + pages) * PAGE) - buf_len;
        memcpy(flush, buf, buf_len);
        for (size_t i = 0; i < OUT_SLOTS; i++)
            out2[i] = UNWRITTEN;
        int64_t r2 = mem_search(flush, buf_len, base, size, n[1], n[2], max > 0 ? out2 : NULL, max);
        same = r2 == r && memcmp(out, out2, sizeof out) == 0;
    }

    printf("search %u 0x%" PRIx64 " 0x%" PRIx64 " %zu: ", size, n[1], n[2], max);
    if (r == MS_ERR_WORD_SIZE) {
        printf("MS_ERR_WORD_SIZE");
    } else if (r < 0) {
        printf("bad return value %" PRId64, r);
    } else {
        printf("%" PRId64 " match%s", r, r == 1 ? "" : "es");
        size_t shown = (uint64_t)r < max ? (size_t)r : max;
        if (shown > 0) {
            printf(", stored");
            for (size_t i = 0; i < shown; i++)
                printf(" 0x%" PRIx64, out[i]);
        }
    }
    /* Nothing may be written beyond matches[max - 1]. */
    for (size_t i = max; i < OUT_SLOTS; i++) {
        if (out[i] != UNWRITTEN) {
            printf(" (wrote matches[%zu], past max_matches)", i);
            break;
        }
    }
    if (!same)
        printf(" (another result when the buffer ends at the end of memory)");
    printf("\n");
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    if (cmd == NULL)
        return;

    if (strcmp(cmd, "mem") == 0) {
        uint64_t addr;
        if (parse_u64(strtok(NULL, " \t"), &addr))
            new_buffer(addr);
        else
            printf("mem: bad address\n");
    } else if (strcmp(cmd, "bytes") == 0) {
        char *tok;
        uint8_t b;
        while ((tok = strtok(NULL, " \t")) != NULL) {
            if (!parse_byte(tok, &b) || !append(b)) {
                printf("bytes: bad byte or buffer full\n");
                return;
            }
        }
    } else if (strcmp(cmd, "fill") == 0) {
        uint64_t count;
        uint8_t b;
        if (!parse_u64(strtok(NULL, " \t"), &count) || !parse_byte(strtok(NULL, " \t"), &b)) {
            printf("fill: bad arguments\n");
            return;
        }
        for (uint64_t i = 0; i < count; i++) {
            if (!append(b)) {
                printf("fill: buffer full\n");
                return;
            }
        }
    } else if (strcmp(cmd, "word") == 0) {
        uint64_t size, value;
        if (!parse_u64(strtok(NULL, " \t"), &size) || !parse_u64(strtok(NULL, " \t"), &value) || size < 1 || size > 8) {
            printf("word: bad arguments\n");
            return;
        }
        for (unsigned i = 0; i < size; i++) {
            if (!append((uint8_t)(value >> (8 * i)))) {
                printf("word: buffer full\n");
                return;
            }
        }
    } else if (strcmp(cmd, "search") == 0) {
        search(strtok(NULL, ""));
    } else {
        printf("bad command: %s\n", cmd);
    }
}

int main(void)
{
    static char line[4096];
    new_buffer(0);
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] != '\n' && !feof(stdin)) {
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
            printf("line too long\n");
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        run(line);
    }
    return 0;
}
