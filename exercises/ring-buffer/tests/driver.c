/* Test driver for ring-buffer: reads one command per line from stdin and
 * prints one line per command.
 *
 *   new N        ring_new(N); N is decimal, SIZE_MAX, SIZE_MAX/4 or SIZE_MAX/4+1
 *                (the previous ring, if any, is freed first)
 *   cap | len    ring_capacity / ring_len
 *   push V       ring_push
 *   over V       ring_push_overwrite
 *   pop | peek   ring_pop / ring_peek
 *   at I         ring_at
 *   dump         ring_len, then ring_at for every index
 *   spin K       K times: push(i) then pop, for i = 1..K
 *   free         ring_free on the current ring (ring_free(NULL) if there is none)
 *   starve       allocates until malloc fails, so that ring_new meets a full heap
 *   feed         releases what starve allocated
 *
 * Memory: the runner's allocation shim counts live allocations. The driver
 * reads the count around ring_new and ring_free: whatever ring_new leaves
 * allocated must be released by ring_free, and a ring_new that returns NULL
 * must leave nothing allocated. Leaks and invalid frees are printed.
 */
#include "ring.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Written to out-parameters before each call, to detect a write on failure. */
#define SENTINEL ((int32_t)-559038737) /* 0xDEADBEEF */
#define DUMP_MAX 64

/* Provided by the runner's link shim (server/src/runner/shim.ts). */
extern size_t runner_allocations_live(void);
extern size_t runner_invalid_frees(void);

static ring_t *ring;
static size_t ring_allocations; /* what ring_new left live for the current ring */

static bool parse_i64(const char *s, long long min, long long max, long long *v)
{
    if (s == NULL || *s == '\0')
        return false;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || x < min || x > max)
        return false;
    *v = x;
    return true;
}

static bool parse_size(const char *s, size_t *v)
{
    if (s == NULL)
        return false;
    if (strcmp(s, "SIZE_MAX") == 0) {
        *v = SIZE_MAX;
        return true;
    }
    if (strcmp(s, "SIZE_MAX/4") == 0) {
        *v = SIZE_MAX / 4;
        return true;
    }
    if (strcmp(s, "SIZE_MAX/4+1") == 0) {
        *v = SIZE_MAX / 4 + 1;
        return true;
    }
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
#if ULLONG_MAX > SIZE_MAX
    if (x > SIZE_MAX)
        return false;
#endif
    *v = (size_t)x;
    return true;
}

/* Prints the outcome of a call that fills *out on success. */
static void report_value(const char *what, bool ok, int32_t out, const char *fail)
{
    if (ok)
        printf("%s: %" PRId32 "\n", what, out);
    else if (out != SENTINEL)
        printf("%s: %s (but *out was modified)\n", what, fail);
    else
        printf("%s: %s\n", what, fail);
}

static void dump(void)
{
    size_t n = ring_len(ring);
    if (n > DUMP_MAX) {
        printf("dump: len %zu is too large to print\n", n);
        return;
    }
    printf("dump: [");
    for (size_t i = 0; i < n; i++) {
        int32_t v = SENTINEL;
        bool ok = ring_at(ring, i, &v);
        if (i > 0)
            printf(", ");
        if (ok)
            printf("%" PRId32, v);
        else
            printf("<at failed>");
    }
    printf("]\n");
}

static void spin(long long k)
{
    long long sum = 0;
    int32_t last = 0;
    for (long long i = 1; i <= k; i++) {
        if (!ring_push(ring, (int32_t)i)) {
            printf("spin %lld: push %lld failed\n", k, i);
            return;
        }
        int32_t v = SENTINEL;
        if (!ring_pop(ring, &v)) {
            printf("spin %lld: pop %lld failed\n", k, i);
            return;
        }
        sum += v; /* |v| <= 2^31 and k <= 10^6: no overflow */
        last = v;
    }
    printf("spin %lld: sum %lld, last %" PRId32 "\n", k, sum, last);
}

/* Blocks held by starve, linked through their first word. */
static void **hoard;

static void starve(void)
{
    for (size_t size = (size_t)1 << 20; size >= sizeof(void *); size /= 2) {
        void **p;
        while ((p = malloc(size)) != NULL) {
            *p = hoard;
            hoard = p;
        }
    }
    printf("starve: done\n");
}

static void feed(void)
{
    while (hoard != NULL) {
        void **next = *hoard;
        free(hoard);
        hoard = next;
    }
    printf("feed: done\n");
}

/* ring_free on the current ring; reports anything it did not release. */
static void free_ring(const char *context)
{
    size_t live = runner_allocations_live();
    size_t invalid = runner_invalid_frees();
    ring_free(ring);
    size_t released = live - runner_allocations_live();
    if (runner_invalid_frees() != invalid)
        printf("%s: ring_free freed a pointer that was not a live allocation\n", context);
    else if (released < ring_allocations)
        printf("%s: ring_free left %zu of %zu allocations live\n", context, ring_allocations - released, ring_allocations);
    ring = NULL;
    ring_allocations = 0;
}

static void new_ring(const char *arg, size_t capacity)
{
    free_ring("new");
    size_t live = runner_allocations_live();
    ring = ring_new(capacity);
    ring_allocations = runner_allocations_live() - live;
    printf("new %s: %s\n", arg, ring != NULL ? "ok" : "NULL");
    if (ring == NULL && ring_allocations != 0) {
        printf("new %s: returned NULL but left %zu allocations live\n", arg, ring_allocations);
        ring_allocations = 0;
    }
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    char *arg = strtok(NULL, " \t");
    long long v;

    if (cmd == NULL)
        return; /* blank line */

    if (strcmp(cmd, "new") == 0) {
        size_t capacity;
        if (!parse_size(arg, &capacity)) {
            printf("new: bad argument\n");
            return;
        }
        new_ring(arg, capacity);
        return;
    }
    if (strcmp(cmd, "starve") == 0) {
        starve();
        return;
    }
    if (strcmp(cmd, "feed") == 0) {
        feed();
        return;
    }
    if (strcmp(cmd, "free") == 0) {
        free_ring("free");
        printf("free: done\n");
        return;
    }

    if (ring == NULL) {
        printf("%s: no ring\n", cmd);
        return;
    }

    if (strcmp(cmd, "cap") == 0) {
        printf("cap: %zu\n", ring_capacity(ring));
    } else if (strcmp(cmd, "len") == 0) {
        printf("len: %zu\n", ring_len(ring));
    } else if (strcmp(cmd, "push") == 0 && parse_i64(arg, INT32_MIN, INT32_MAX, &v)) {
        bool ok = ring_push(ring, (int32_t)v);
        printf("push %lld: %s\n", v, ok ? "ok" : "full");
    } else if (strcmp(cmd, "over") == 0 && parse_i64(arg, INT32_MIN, INT32_MAX, &v)) {
        bool dropped = ring_push_overwrite(ring, (int32_t)v);
        printf("over %lld: %s\n", v, dropped ? "discarded oldest" : "ok");
    } else if (strcmp(cmd, "pop") == 0) {
        int32_t out = SENTINEL;
        bool ok = ring_pop(ring, &out);
        report_value("pop", ok, out, "empty");
    } else if (strcmp(cmd, "peek") == 0) {
        int32_t out = SENTINEL;
        bool ok = ring_peek(ring, &out);
        report_value("peek", ok, out, "empty");
    } else if (strcmp(cmd, "at") == 0 && parse_i64(arg, 0, 1000000, &v)) {
        int32_t out = SENTINEL;
        bool ok = ring_at(ring, (size_t)v, &out);
        char what[32];
        snprintf(what, sizeof what, "at %lld", v);
        report_value(what, ok, out, "out of range");
    } else if (strcmp(cmd, "dump") == 0) {
        dump();
    } else if (strcmp(cmd, "spin") == 0 && parse_i64(arg, 0, 1000000, &v)) {
        spin(v);
    } else {
        printf("%s: bad command\n", cmd);
    }
}

int main(void)
{
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] != '\n' && !feof(stdin)) {
            /* Overlong line: skip the rest of it. */
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
            printf("line too long\n");
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        run(line);
    }
    free_ring("end");
    return 0;
}
