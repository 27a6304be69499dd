/* Test driver for virtio-ring: reads one command per line from stdin.
 *
 *   queue SIZE                new queue: zeroed descriptors and ring, avail idx 0, last_avail 0
 *   desc I LEN FLAGS [NEXT]   sets descriptor I (FLAGS: letters N and W, "-" for none, or a number)
 *   fill FROM TO LEN FLAGS    descriptors FROM .. TO-1, each with next = its index + 1
 *   avail H ...               ring[idx % size] = H, then idx++, for each H
 *   idx N | last N            sets avail->idx | the device's last_avail
 *   pop [K]                   calls vq_pop K times (default 1), one line each
 *
 * Numbers are decimal or 0x-hex. The guest's tables live in pages the driver
 * grows itself: the descriptor table ends exactly at the end of WebAssembly
 * memory, so reading desc[size] traps, and the two bytes after the available
 * ring hold 0xffff.
 */
#include "virtq.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 65536
#define SIZE_MAX_QUEUE 32768

static struct vq q;
static struct virtq_desc *g_desc; /* writable aliases of q.desc and q.avail */
static struct virtq_avail *g_avail;
static size_t placed_pages; /* memory size when the tables were placed */

static bool parse_u32(const char *s, uint32_t *v)
{
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || x > UINT32_MAX)
        return false;
    *v = (uint32_t)x;
    return true;
}

static bool parse_u16(const char *s, uint16_t *v)
{
    uint32_t x;
    if (!parse_u32(s, &x) || x > UINT16_MAX)
        return false;
    *v = (uint16_t)x;
    return true;
}

static bool parse_flags(const char *s, uint16_t *v)
{
    if (s == NULL)
        return false;
    if (strcmp(s, "-") == 0) {
        *v = 0;
        return true;
    }
    if (*s >= '0' && *s <= '9')
        return parse_u16(s, v);
    uint16_t f = 0;
    for (; *s != '\0'; s++) {
        if (*s == 'N')
            f |= VIRTQ_DESC_F_NEXT;
        else if (*s == 'W')
            f |= VIRTQ_DESC_F_WRITE;
        else
            return false;
    }
    *v = f;
    return true;
}

/* Grows memory by whole pages holding at least `bytes` (plus filler before
 * them); returns just past the last new byte, or NULL. */
static uint8_t *grow_end(size_t bytes)
{
    size_t pages = bytes / PAGE + 1;
    size_t old = __builtin_wasm_memory_grow(0, pages);
    if (old == SIZE_MAX)
        return NULL;
    return (uint8_t *)((old + pages) * PAGE);
}

/* Puts the tables at the end of memory, copying their current contents
 * (from = NULL: zeroed). */
static bool place(const struct virtq_desc *old_desc, const struct virtq_avail *old_avail)
{
    size_t n = q.size;
    size_t avail_bytes = sizeof(struct virtq_avail) + n * sizeof(uint16_t);
    uint8_t *avail_end = grow_end(avail_bytes);
    uint8_t *desc_end = avail_end != NULL ? grow_end(n * sizeof(struct virtq_desc)) : NULL;
    if (desc_end == NULL)
        return false;
    /* Filler before the descriptor table: 0xff, so that a read of
     * avail->ring[size] (the first bytes after the ring) finds 0xffff. */
    memset(avail_end, 0xff, (size_t)(desc_end - avail_end) - n * sizeof(struct virtq_desc));
    struct virtq_avail *a = (struct virtq_avail *)(avail_end - avail_bytes);
    struct virtq_desc *d = (struct virtq_desc *)(desc_end - n * sizeof(struct virtq_desc));
    if (old_desc != NULL) {
        memcpy(a, old_avail, avail_bytes);
        memcpy(d, old_desc, n * sizeof *d);
    } else {
        memset(a, 0, avail_bytes);
        memset(d, 0, n * sizeof *d);
    }
    g_avail = a;
    g_desc = d;
    q.avail = a;
    q.desc = d;
    placed_pages = __builtin_wasm_memory_size(0);
    return true;
}

static const char *error_name(int r)
{
    switch (r) {
    case VQ_ERR_AVAIL_IDX: return "VQ_ERR_AVAIL_IDX";
    case VQ_ERR_HEAD: return "VQ_ERR_HEAD";
    case VQ_ERR_NEXT: return "VQ_ERR_NEXT";
    case VQ_ERR_LOOP: return "VQ_ERR_LOOP";
    case VQ_ERR_ORDER: return "VQ_ERR_ORDER";
    default: return NULL;
    }
}

static void pop(void)
{
    /* If the program grew memory since, the tables are no longer at its end. */
    if (__builtin_wasm_memory_size(0) != placed_pages && !place(g_desc, g_avail)) {
        printf("pop: driver out of memory\n");
        return;
    }
    struct vq before = q;
    struct vq_chain out, untouched;
    memset(&out, 0xa5, sizeof out);
    memset(&untouched, 0xa5, sizeof untouched);

    int r = vq_pop(&q, &out);

    const char *name = error_name(r);
    if (r == VQ_OK)
        printf("pop: head %" PRIu16 ", %" PRIu16 " descriptor%s, readable %" PRIu64 ", writable %" PRIu64,
               out.head, out.ndesc, out.ndesc == 1 ? "" : "s", out.readable, out.writable);
    else if (r == VQ_EMPTY)
        printf("pop: empty");
    else if (r == VQ_ERR_AVAIL_IDX)
        printf("pop: %s", name);
    else if (name != NULL)
        printf("pop: %s at %" PRIu16, name, out.at);
    else
        printf("pop: bad return value %d", r);
    printf(" (last_avail %" PRIu16 ")\n", q.last_avail);

    if ((r == VQ_EMPTY || r == VQ_ERR_AVAIL_IDX) && memcmp(&out, &untouched, sizeof out) != 0)
        printf("  wrote *out although no chain was taken\n");
    if (q.desc != before.desc || q.avail != before.avail || q.size != before.size)
        printf("  changed a field of the queue other than last_avail\n");
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    if (cmd == NULL)
        return;

    if (strcmp(cmd, "queue") == 0) {
        uint32_t size;
        if (!parse_u32(strtok(NULL, " \t"), &size) || size == 0 || size > SIZE_MAX_QUEUE || (size & (size - 1)) != 0) {
            printf("queue: bad size\n");
            return;
        }
        q.size = (uint16_t)size;
        q.last_avail = 0;
        if (!place(NULL, NULL)) {
            printf("queue: driver out of memory\n");
            q.size = 0;
        }
        return;
    }
    if (q.size == 0) {
        printf("%s: no queue\n", cmd);
        return;
    }

    if (strcmp(cmd, "desc") == 0) {
        uint16_t i, flags, next = 0;
        uint32_t len;
        char *next_s;
        if (!parse_u16(strtok(NULL, " \t"), &i) || i >= q.size || !parse_u32(strtok(NULL, " \t"), &len) ||
            !parse_flags(strtok(NULL, " \t"), &flags) || ((next_s = strtok(NULL, " \t")) != NULL && !parse_u16(next_s, &next))) {
            printf("desc: bad arguments\n");
            return;
        }
        g_desc[i] = (struct virtq_desc){ .addr = 0x100000 + (uint64_t)i * 0x1000, .len = len, .flags = flags, .next = next };
    } else if (strcmp(cmd, "fill") == 0) {
        uint32_t from, to, len;
        uint16_t flags;
        if (!parse_u32(strtok(NULL, " \t"), &from) || !parse_u32(strtok(NULL, " \t"), &to) || to > q.size || from > to ||
            !parse_u32(strtok(NULL, " \t"), &len) || !parse_flags(strtok(NULL, " \t"), &flags)) {
            printf("fill: bad arguments\n");
            return;
        }
        for (uint32_t i = from; i < to; i++)
            g_desc[i] = (struct virtq_desc){ .addr = 0x100000 + (uint64_t)i * 0x1000, .len = len, .flags = flags, .next = (uint16_t)(i + 1) };
    } else if (strcmp(cmd, "avail") == 0) {
        char *tok;
        uint16_t h;
        while ((tok = strtok(NULL, " \t")) != NULL) {
            if (!parse_u16(tok, &h)) {
                printf("avail: bad head %s\n", tok);
                return;
            }
            g_avail->ring[g_avail->idx % q.size] = h;
            g_avail->idx++;
        }
    } else if (strcmp(cmd, "idx") == 0 || strcmp(cmd, "last") == 0) {
        uint16_t v;
        if (!parse_u16(strtok(NULL, " \t"), &v)) {
            printf("%s: bad value\n", cmd);
            return;
        }
        if (cmd[0] == 'i')
            g_avail->idx = v;
        else
            q.last_avail = v;
    } else if (strcmp(cmd, "pop") == 0) {
        uint32_t k = 1;
        char *k_s = strtok(NULL, " \t");
        if (k_s != NULL && (!parse_u32(k_s, &k) || k > 100000)) {
            printf("pop: bad count\n");
            return;
        }
        for (uint32_t i = 0; i < k; i++)
            pop();
    } else {
        printf("bad command: %s\n", cmd);
    }
}

int main(void)
{
    static char line[4096];
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
