/* Test driver for block-copy: reads one command per line from stdin.
 *
 *   in N        new input image of N bytes; byte i is i % 255 + 1 (never 0)
 *   out N [HH]  new output image of N bytes, all HH (default ee); ends "same"
 *   same        copy within the input image (dd if=disk of=disk)
 *   copy [bs=B] [skip=S] [seek=K] [count=C|all] [sync]
 *               block_copy; prints the result and then the output image
 *   show        prints the output image
 *
 * Numbers are decimal, 0x-hex or SIZE_MAX. Missing keys: bs=1, skip=0, seek=0,
 * count=all.
 *
 * Before each copy the images are laid out afresh in pages the driver grows
 * itself: the input image ends exactly at the end of WebAssembly memory, so a
 * read past it traps instead of finding harmless bytes, and the output image
 * is surrounded by guard bytes that must still hold CANARY afterwards.
 */
#include "blockcopy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMAGE_MAX 65536
#define PAGE 65536
#define GUARD 64
#define CANARY 0xa5
#define SHOW_MAX 64

static uint8_t in_model[IMAGE_MAX];
static size_t in_len;
static uint8_t out_model[IMAGE_MAX];
static size_t out_len;
static bool same;

static bool parse_size(const char *s, size_t *v)
{
    if (s == NULL)
        return false;
    if (strcmp(s, "SIZE_MAX") == 0) {
        *v = SIZE_MAX;
        return true;
    }
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || x > SIZE_MAX)
        return false;
    *v = (size_t)x;
    return true;
}

/* Grows memory by whole pages holding at least `bytes`; returns the first new
 * byte and sets *end just past the last one. NULL if memory is exhausted. */
static uint8_t *grow(size_t bytes, uint8_t **end)
{
    size_t pages = bytes / PAGE + 1;
    size_t old = __builtin_wasm_memory_grow(0, pages);
    if (old == SIZE_MAX)
        return NULL;
    *end = (uint8_t *)((old + pages) * PAGE);
    return (uint8_t *)(old * PAGE);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void show(void)
{
    const uint8_t *img = same ? in_model : out_model;
    size_t len = same ? in_len : out_len;
    if (len > SHOW_MAX) {
        printf("%s: %zu bytes, fnv1a %08" PRIx32 "\n", same ? "in" : "out", len, fnv1a(img, len));
        return;
    }
    printf("%s:", same ? "in" : "out");
    for (size_t i = 0; i < len; i++)
        printf(" %02x", img[i]);
    printf("\n");
}

/* True if every byte of p[0 .. n-1] is CANARY. */
static bool intact(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != CANARY)
            return false;
    return true;
}

static void copy(char *rest)
{
    struct bc_args a = { .bs = 1, .skip = 0, .seek = 0, .count = BC_ALL, .sync = false };
    char echo[200];
    snprintf(echo, sizeof echo, "%s", rest != NULL ? rest : "");

    for (char *tok = strtok(rest, " \t"); tok != NULL; tok = strtok(NULL, " \t")) {
        bool ok;
        if (strncmp(tok, "bs=", 3) == 0)
            ok = parse_size(tok + 3, &a.bs);
        else if (strncmp(tok, "skip=", 5) == 0)
            ok = parse_size(tok + 5, &a.skip);
        else if (strncmp(tok, "seek=", 5) == 0)
            ok = parse_size(tok + 5, &a.seek);
        else if (strcmp(tok, "count=all") == 0)
            ok = (a.count = BC_ALL, true);
        else if (strncmp(tok, "count=", 6) == 0)
            ok = parse_size(tok + 6, &a.count);
        else if (strcmp(tok, "sync") == 0)
            ok = (a.sync = true, true);
        else
            ok = false;
        if (!ok) {
            printf("copy: bad operand %s\n", tok);
            return;
        }
    }

    /* Lay out the images: output first (with guards), input last (flush
     * against the end of memory). */
    uint8_t *src, *dst, *guard_lo, *guard_hi, *region_end;
    size_t src_len, dst_len;
    if (same) {
        guard_lo = grow(GUARD + in_len, &region_end);
        if (guard_lo == NULL) {
            printf("copy: driver out of memory\n");
            return;
        }
        dst = src = region_end - in_len;
        dst_len = src_len = in_len;
        guard_hi = region_end;
        memset(guard_lo, CANARY, (size_t)(dst - guard_lo));
        memcpy(dst, in_model, in_len);
    } else {
        guard_lo = grow(2 * GUARD + out_len, &region_end);
        uint8_t *in_end;
        uint8_t *in_region = guard_lo != NULL ? grow(in_len, &in_end) : NULL;
        if (in_region == NULL) {
            printf("copy: driver out of memory\n");
            return;
        }
        memset(guard_lo, CANARY, (size_t)(region_end - guard_lo));
        dst = guard_lo + GUARD;
        dst_len = out_len;
        guard_hi = dst + dst_len;
        memcpy(dst, out_model, out_len);
        src = in_end - in_len;
        src_len = in_len;
        memcpy(src, in_model, in_len);
    }

    int64_t r = block_copy(src, src_len, dst, dst_len, &a);

    printf("copy %s: ", echo);
    switch (r) {
    case BC_ERR_BLOCK_SIZE: printf("BC_ERR_BLOCK_SIZE"); break;
    case BC_ERR_SKIP: printf("BC_ERR_SKIP"); break;
    case BC_ERR_SEEK: printf("BC_ERR_SEEK"); break;
    case BC_ERR_NO_SPACE: printf("BC_ERR_NO_SPACE"); break;
    default:
        if (r < 0)
            printf("bad return value %" PRId64, r);
        else
            printf("%" PRId64 " bytes", r);
    }
    printf("\n");

    /* The promises the statement makes about memory. */
    if (!intact(guard_lo, (size_t)(dst - guard_lo)) || !intact(guard_hi, (size_t)(region_end - guard_hi)))
        printf("  wrote outside the output image\n");
    if (!same && memcmp(src, in_model, in_len) != 0)
        printf("  changed the input image\n");
    uint8_t *model = same ? in_model : out_model;
    if (r < 0 && memcmp(dst, model, dst_len) != 0)
        printf("  changed the output image although it failed\n");
    memcpy(model, dst, dst_len);
    show();
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    if (cmd == NULL)
        return;
    if (strcmp(cmd, "in") == 0 || strcmp(cmd, "out") == 0) {
        bool input = cmd[0] == 'i';
        size_t n;
        char *byte = NULL;
        if (!parse_size(strtok(NULL, " \t"), &n) || n > IMAGE_MAX) {
            printf("%s: bad size\n", cmd);
            return;
        }
        unsigned long fill = 0xee;
        if (!input && (byte = strtok(NULL, " \t")) != NULL)
            fill = strtoul(byte, NULL, 16) & 0xff;
        for (size_t i = 0; i < n; i++) {
            if (input)
                in_model[i] = (uint8_t)(i % 255 + 1);
            else
                out_model[i] = (uint8_t)fill;
        }
        if (input) {
            in_len = n;
        } else {
            out_len = n;
            same = false;
        }
    } else if (strcmp(cmd, "same") == 0) {
        same = true;
    } else if (strcmp(cmd, "copy") == 0) {
        copy(strtok(NULL, ""));
    } else if (strcmp(cmd, "show") == 0) {
        show();
    } else {
        printf("bad command: %s\n", cmd);
    }
}

int main(void)
{
    static char line[512];
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
