/* Test driver for lru-cache: reads one command per line from stdin and
 * prints one line per command (plus one line per write-back).
 *
 *   new CAP SIZE [nocallback]
 *                    lru_new(CAP, SIZE, writeback, &device), or with a NULL
 *                    writeback; the previous cache, if any, is destroyed
 *                    first (and checked)
 *   put B TEXT [dirty]
 *                    lru_insert of TEXT, cut or padded with '.' to SIZE bytes
 *   get B            lru_lookup; prints the block's bytes
 *   write B TEXT     lru_lookup, copy TEXT into the block, lru_mark_dirty
 *   dirty B          lru_mark_dirty
 *   flush            lru_flush
 *   count            lru_count
 *   fail N [CODE]    the next N write-backs fail, returning CODE (default -1)
 *   destroy          lru_destroy, then checks that every block allocated
 *                    since `new` was freed
 *   squeeze CAP SIZE lru_new when memory is full but for a few small holes
 *                    (under 32 bytes each): the result must be NULL with
 *                    nothing allocated, or a cache that destroy frees. Memory
 *                    grows past the page kept for `put` data, so it comes
 *                    last in a case.
 *
 * Block numbers are decimal or 0x-prefixed hex (64-bit). The data passed to
 * lru_insert ends exactly at the end of WebAssembly linear memory (pages this
 * driver grows itself), so reading past its SIZE bytes traps.
 */
#include "lru.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern size_t runner_allocations_live(void);

#define BLOCK_MAX 4096
#define PAGE 65536u

struct device {
    int failures_left; /* the next write-backs that fail */
    int failure_code;  /* what they return */
    unsigned writes;
};

static struct device device;
static lru_t *cache;
static size_t block_size;
static size_t live_before_new;
static unsigned char *memory_end;

static void print_bytes(const unsigned char *data)
{
    for (size_t i = 0; i < block_size; i++)
        putchar(data[i] >= 0x20 && data[i] <= 0x7e ? data[i] : '?');
}

static int writeback(void *ctx, uint64_t block, const void *data)
{
    printf("  writeback %" PRIu64 ": ", block);
    print_bytes(data);
    if (ctx != &device) {
        printf(" (wrong ctx)\n");
        return 0;
    }
    device.writes++;
    if (device.failures_left > 0) {
        device.failures_left--;
        printf(" (fails)\n");
        return device.failure_code;
    }
    printf("\n");
    return 0;
}

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

static bool parse_size(const char *s, size_t *v)
{
    uint64_t x;
    if (s != NULL && strcmp(s, "SIZE_MAX") == 0) {
        *v = SIZE_MAX;
        return true;
    }
    if (!parse_u64(s, &x) || x > SIZE_MAX)
        return false;
    *v = (size_t)x;
    return true;
}

/* TEXT cut or padded with '.' to block_size bytes, ending at the end of memory. */
static const unsigned char *block_from(const char *text)
{
    unsigned char *data = memory_end - block_size;
    size_t n = strlen(text);
    for (size_t i = 0; i < block_size; i++)
        data[i] = i < n ? (unsigned char)text[i] : '.';
    return data;
}

static void destroy_checked(void)
{
    lru_destroy(cache);
    cache = NULL;
    size_t kept = runner_allocations_live() - live_before_new;
    if (kept == 0)
        printf("destroy: all memory freed\n");
    else
        printf("destroy: %zu allocated blocks not freed\n", kept);
}

/* Fills the heap so that lru_new can only get small blocks: four freed
 * 24-byte blocks kept apart by live 1-byte guards (so that they do not merge),
 * and nothing else. A bigger allocation (a header of 32 bytes or more, say)
 * then fails while smaller ones made after it still succeed, which reaches a
 * failure path that an impossible size, failing every allocation, does not. */
static void squeeze(const char *cap_text, const char *size_text, size_t cap, size_t size)
{
    static void *filler[4096];
    void *holes[4];
    size_t n = 0;
    if (cache != NULL)
        destroy_checked();
    for (int i = 0; i < 4; i++) {
        holes[i] = malloc(24);
        filler[n++] = malloc(1);
    }
    for (size_t chunk = (size_t)1 << 24; chunk > 0; chunk /= 2)
        while (n < sizeof filler / sizeof filler[0] && (filler[n] = malloc(chunk)) != NULL)
            n++;
    for (int i = 0; i < 4; i++)
        free(holes[i]);

    size_t before = runner_allocations_live();
    lru_t *c = lru_new(cap, size, writeback, &device);
    bool got_cache = c != NULL;
    lru_destroy(c);
    size_t kept = runner_allocations_live() - before;
    for (size_t i = 0; i < n; i++)
        free(filler[i]);
    /* NULL and a cache are both right here: the output must not tell them apart. */
    if (kept == 0)
        printf("squeeze %s %s: nothing kept\n", cap_text, size_text);
    else
        printf("squeeze %s %s: %zu allocated blocks not freed%s\n", cap_text, size_text, kept, got_cache ? "" : " (lru_new returned NULL)");
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    char *arg1 = strtok(NULL, " \t");
    char *arg2 = strtok(NULL, " \t");
    char *arg3 = strtok(NULL, " \t");
    uint64_t block;
    size_t x, y;

    if (cmd == NULL)
        return;
    if (strcmp(cmd, "new") == 0 && parse_size(arg1, &x) && parse_size(arg2, &y) && (arg3 == NULL || strcmp(arg3, "nocallback") == 0)) {
        if (cache != NULL)
            destroy_checked();
        live_before_new = runner_allocations_live();
        cache = lru_new(x, y, arg3 == NULL ? writeback : NULL, &device);
        if (cache != NULL && y > BLOCK_MAX) {
            printf("new: the driver supports blocks of at most %d bytes\n", BLOCK_MAX);
            exit(1);
        }
        block_size = y;
        size_t kept = runner_allocations_live() - live_before_new;
        printf("new %s %s%s: %s%s\n", arg1, arg2, arg3 ? " nocallback" : "", cache ? "ok" : "NULL", !cache && kept ? " (but memory was kept)" : "");
        return;
    }
    if (strcmp(cmd, "squeeze") == 0 && parse_size(arg1, &x) && parse_size(arg2, &y) && x > 0 && y > 0 && y <= BLOCK_MAX && arg3 == NULL) {
        squeeze(arg1, arg2, x, y);
        return;
    }
    if (strcmp(cmd, "fail") == 0 && parse_size(arg1, &x) && x <= 1000) {
        long code = -1;
        if (arg2 != NULL) {
            char *end;
            code = strtol(arg2, &end, 10);
            if (*end != '\0' || code == 0 || code < -1000 || code > 1000) {
                printf("fail: bad code\n");
                return;
            }
        }
        device.failures_left = (int)x;
        device.failure_code = (int)code;
        printf("fail: the next %zu write-backs fail with %ld\n", x, code);
        return;
    }
    if (cache == NULL) {
        printf("%s: no cache\n", cmd);
        return;
    }
    if (strcmp(cmd, "destroy") == 0) {
        unsigned before = device.writes;
        destroy_checked();
        if (device.writes != before)
            printf("destroy: wrote blocks back\n");
    } else if (strcmp(cmd, "put") == 0 && parse_u64(arg1, &block) && arg2 != NULL && (arg3 == NULL || strcmp(arg3, "dirty") == 0)) {
        printf("put %s:\n", arg1);
        int r = lru_insert(cache, block, block_from(arg2), arg3 != NULL);
        printf("  -> %s\n", r == 0 ? "ok" : r == -1 ? "write-back failed" : "unknown result");
    } else if (strcmp(cmd, "get") == 0 && parse_u64(arg1, &block)) {
        const unsigned char *data = lru_lookup(cache, block);
        printf("get %s: ", arg1);
        if (data == NULL) {
            printf("miss\n");
        } else {
            print_bytes(data);
            printf("\n");
        }
    } else if (strcmp(cmd, "write") == 0 && parse_u64(arg1, &block) && arg2 != NULL) {
        unsigned char *data = lru_lookup(cache, block);
        if (data == NULL) {
            printf("write %s: miss\n", arg1);
        } else {
            size_t n = strlen(arg2);
            memcpy(data, arg2, n < block_size ? n : block_size);
            printf("write %s: %s\n", arg1, lru_mark_dirty(cache, block) ? "ok" : "mark_dirty failed");
        }
    } else if (strcmp(cmd, "dirty") == 0 && parse_u64(arg1, &block)) {
        printf("dirty %s: %s\n", arg1, lru_mark_dirty(cache, block) ? "ok" : "not cached");
    } else if (strcmp(cmd, "flush") == 0) {
        printf("flush:\n");
        size_t failed = lru_flush(cache);
        printf("  -> %zu failed\n", failed);
    } else if (strcmp(cmd, "count") == 0) {
        printf("count: %zu\n", lru_count(cache));
    } else {
        printf("%s: bad command\n", cmd);
    }
}

int main(void)
{
    /* Give the heap room first, so that later allocations do not grow memory
     * past the page reserved here: that page stays the last one. */
    void *volatile room = malloc(1 << 20);
    free(room);
    size_t old = __builtin_wasm_memory_grow(0, 1);
    if (old == (size_t)-1)
        return 1;
    memory_end = (unsigned char *)(uintptr_t)((old + 1) * PAGE);

    char line[512];
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        run(line);
    }
    lru_destroy(cache);
    return 0;
}
