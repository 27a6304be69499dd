/* Test driver for page-frame-allocator: reads one command per line from
 * stdin and prints one line per command.
 *
 *   new N        pfa_new(N) (the previous allocator, if any, is deleted
 *                first); N is decimal, SIZE_MAX or SIZE_MAX-K (K decimal);
 *                also checks that a failed pfa_new kept no memory
 *   delete       pfa_delete, then checks that every block allocated since
 *                the matching `new` was freed
 *   alloc N      pfa_alloc
 *   release F N  pfa_release
 *   used F       pfa_is_used
 *   free         pfa_free_frames
 *   map          one character per frame ('#' used, '.' free), frames < 256
 *   drain N      pfa_alloc(N) until it fails; prints how many runs and the last
 */
#include "pfa.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern size_t runner_allocations_live(void);

#define MAP_MAX 256

static pfa_t *pfa;
static size_t frames;
static size_t live_before_new;

static bool parse_size(const char *s, size_t *v)
{
    if (s == NULL)
        return false;
    if (strcmp(s, "SIZE_MAX") == 0) {
        *v = SIZE_MAX;
        return true;
    }
    if (strncmp(s, "SIZE_MAX-", 9) == 0) {
        size_t k;
        if (s[9] < '0' || s[9] > '9' || !parse_size(s + 9, &k))
            return false;
        *v = SIZE_MAX - k;
        return true;
    }
    if (*s < '0' || *s > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || x > SIZE_MAX)
        return false;
    *v = (size_t)x;
    return true;
}

static void print_frame(size_t f)
{
    if (f == PFA_NONE)
        printf("none\n");
    else
        printf("%zu\n", f);
}

static void delete_checked(const char *what)
{
    pfa_delete(pfa);
    pfa = NULL;
    size_t kept = runner_allocations_live() - live_before_new;
    if (kept == 0)
        printf("%s: all memory freed\n", what);
    else
        printf("%s: %zu allocated blocks not freed\n", what, kept);
}

static void run(char *line)
{
    char *cmd = strtok(line, " \t");
    char *arg1 = strtok(NULL, " \t");
    char *arg2 = strtok(NULL, " \t");
    size_t x, y;

    if (cmd == NULL)
        return;
    if (strcmp(cmd, "new") == 0 && parse_size(arg1, &x)) {
        if (pfa != NULL)
            delete_checked("delete");
        live_before_new = runner_allocations_live();
        pfa = pfa_new(x);
        frames = x;
        if (pfa != NULL) {
            printf("new %s: ok\n", arg1);
        } else {
            size_t kept = runner_allocations_live() - live_before_new;
            printf("new %s: NULL%s\n", arg1, kept ? " (but memory was kept)" : "");
        }
        return;
    }
    if (pfa == NULL) {
        printf("%s: no allocator\n", cmd);
        return;
    }
    if (strcmp(cmd, "delete") == 0) {
        delete_checked("delete");
    } else if (strcmp(cmd, "alloc") == 0 && parse_size(arg1, &x)) {
        printf("alloc %s: ", arg1);
        print_frame(pfa_alloc(pfa, x));
    } else if (strcmp(cmd, "release") == 0 && parse_size(arg1, &x) && parse_size(arg2, &y)) {
        int r = pfa_release(pfa, x, y);
        const char *text = r == PFA_OK ? "ok" : r == PFA_BAD_RANGE ? "bad range" : r == PFA_NOT_ALLOCATED ? "not allocated" : "unknown result";
        printf("release %s %s: %s\n", arg1, arg2, text);
    } else if (strcmp(cmd, "used") == 0 && parse_size(arg1, &x)) {
        printf("used %s: %s\n", arg1, pfa_is_used(pfa, x) ? "yes" : "no");
    } else if (strcmp(cmd, "free") == 0) {
        printf("free: %zu\n", pfa_free_frames(pfa));
    } else if (strcmp(cmd, "map") == 0 && frames <= MAP_MAX) {
        char text[MAP_MAX + 1];
        for (size_t f = 0; f < frames; f++)
            text[f] = pfa_is_used(pfa, f) ? '#' : '.';
        text[frames] = '\0';
        printf("map: %s\n", text);
    } else if (strcmp(cmd, "drain") == 0 && parse_size(arg1, &x)) {
        size_t runs = 0, last = PFA_NONE, f;
        /* Every run takes at least one frame, so frames + 1 calls must end it. */
        while (runs <= frames && (f = pfa_alloc(pfa, x)) != PFA_NONE) {
            runs++;
            last = f;
        }
        printf("drain %s: %zu runs, last at ", arg1, runs);
        print_frame(last);
    } else {
        printf("%s: bad command\n", cmd);
    }
}

int main(void)
{
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        run(line);
    }
    pfa_delete(pfa);
    return 0;
}
