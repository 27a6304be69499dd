/* Test driver for hex-dump: reads one command per line from stdin.
 *
 *   bytes HH HH ...     appends bytes (two hex digits each) to the input
 *   fill N HH           appends N copies of byte HH
 *   seq N HH            appends N bytes counting up from HH (wrapping at ff)
 *   clear               empties the input
 *   dump OFFSET [CAP]   hex_dump(input, len, OFFSET, out, CAP); CAP defaults
 *                       to the whole output buffer; CAP 0 passes out = NULL
 *
 * For each dump it prints the return value, the text written to out, and one
 * line of checks: the NUL is where it belongs, nothing was written past
 * out[cap - 1], the input was not modified, nothing allocated was kept.
 *
 * The input is copied flush against the end of WebAssembly linear memory
 * (pages this driver grows itself), so reading even one byte past
 * data[len - 1] traps instead of reading harmless slack.
 */
#include "hexdump.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern size_t runner_allocations_live(void);

#define INPUT_MAX 8192
#define OUT_MAX 60000
#define CANARY 0x5a
#define GUARD 64
#define PAGE 65536u

static uint8_t input[INPUT_MAX];
static size_t input_len;
static uint8_t *memory_end; /* one past the last byte of linear memory */
static char out[OUT_MAX + GUARD];

/* Grows memory by pages that only this driver uses; they stay the last pages
 * because the heap below was given enough room first (see main). */
static void reserve_end_of_memory(void)
{
    size_t pages = (INPUT_MAX + PAGE - 1) / PAGE;
    size_t old = __builtin_wasm_memory_grow(0, pages);
    if (old == (size_t)-1) {
        printf("driver: cannot grow memory\n");
        exit(1);
    }
    memory_end = (uint8_t *)(uintptr_t)((old + pages) * PAGE);
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
    if (input_len == INPUT_MAX) {
        printf("input full\n");
        return false;
    }
    input[input_len++] = byte;
    return true;
}

static void dump(uint64_t offset, size_t cap)
{
    /* The bytes end exactly where linear memory ends. */
    uint8_t *data = memory_end - input_len;
    memcpy(data, input, input_len);
    memset(out, CANARY, sizeof out);

    size_t before = runner_allocations_live();
    size_t total = hex_dump(data, input_len, offset, cap ? out : NULL, cap);
    size_t after = runner_allocations_live();

    printf("dump offset=0x%" PRIx64 " cap=%zu: returned %zu\n", offset, cap, total);

    size_t nul = 0; /* where the NUL must be */
    bool nul_ok = true;
    if (cap > 0) {
        nul = total < cap - 1 ? total : cap - 1;
        nul_ok = out[nul] == '\0';
        /* Print what was written, up to the NUL the candidate should have put there. */
        fwrite(out, 1, nul, stdout);
        if (nul == 0 || out[nul - 1] != '\n')
            printf("<end of output, no newline>\n");
    }

    char checks[200] = "";
    if (!nul_ok)
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), " no NUL at out[%zu];", nul);
    for (size_t i = cap; i < sizeof out; i++) {
        if ((unsigned char)out[i] != CANARY) {
            snprintf(checks + strlen(checks), sizeof checks - strlen(checks), " wrote past out[cap - 1] (at out[%zu]);", i);
            break;
        }
    }
    if (memcmp(data, input, input_len) != 0)
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), " modified the input;");
    if (after != before)
        snprintf(checks + strlen(checks), sizeof checks - strlen(checks), " %+ld allocations kept;", (long)after - (long)before);
    printf("checks:%s\n", checks[0] ? checks : " ok");
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    if (cmd == NULL)
        return;
    if (strcmp(cmd, "bytes") == 0) {
        char *arg;
        uint8_t b;
        while ((arg = strtok(NULL, " \t")) != NULL) {
            if (!parse_byte(arg, &b)) {
                printf("bytes: bad byte %s\n", arg);
                return;
            }
            if (!append(b))
                return;
        }
    } else if (strcmp(cmd, "fill") == 0 || strcmp(cmd, "seq") == 0) {
        uint64_t n;
        uint8_t b;
        if (!parse_u64(strtok(NULL, " \t"), &n) || !parse_byte(strtok(NULL, " \t"), &b)) {
            printf("%s: bad arguments\n", cmd);
            return;
        }
        bool counting = cmd[0] == 's';
        for (uint64_t i = 0; i < n; i++)
            if (!append(counting ? (uint8_t)(b + i) : b))
                return;
    } else if (strcmp(cmd, "clear") == 0) {
        input_len = 0;
    } else if (strcmp(cmd, "dump") == 0) {
        uint64_t offset, cap = OUT_MAX;
        char *cap_arg = NULL;
        if (!parse_u64(strtok(NULL, " \t"), &offset) || ((cap_arg = strtok(NULL, " \t")) != NULL && !parse_u64(cap_arg, &cap)) || cap > OUT_MAX) {
            printf("dump: bad arguments\n");
            return;
        }
        dump(offset, (size_t)cap);
    } else {
        printf("%s: bad command\n", cmd);
    }
}

int main(void)
{
    /* Give the heap room now, so that later allocations (the candidate's
     * included) do not grow memory past the pages reserved below. */
    void *volatile room = malloc(1 << 20);
    free(room);
    reserve_end_of_memory();

    static char line[4096];
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        run(line);
    }
    return 0;
}
