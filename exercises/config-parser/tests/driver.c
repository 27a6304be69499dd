/* Test driver for config-parser: reads one command per line from stdin and
 * prints one line per result.
 *
 *   > TEXT    appends TEXT as a line of the configuration text
 *             (a line that is just ">" appends an empty line)
 *   parse     cfg_parse on the lines collected so far, joined with "\n"
 *             (no "\n" after the last one); then starts a new text
 *   get KEY   cfg_get, printing the value's type and contents
 *   dump      prints every entry of the table, in order
 *
 * The same table is used for every parse; it starts filled with garbage.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define TEXT_MAX 16384

static cfg_table table;
static char text[TEXT_MAX];
static size_t text_len;
static size_t text_lines;
static bool text_overflow;

static const char *error_name(cfg_error e)
{
    switch (e) {
    case CFG_OK: return "CFG_OK";
    case CFG_ERR_SYNTAX: return "CFG_ERR_SYNTAX";
    case CFG_ERR_RANGE: return "CFG_ERR_RANGE";
    case CFG_ERR_STRING: return "CFG_ERR_STRING";
    case CFG_ERR_DUPLICATE: return "CFG_ERR_DUPLICATE";
    case CFG_ERR_LIMIT: return "CFG_ERR_LIMIT";
    }
    return NULL;
}

static void append_line(const char *s)
{
    size_t n = strlen(s);
    size_t need = n + (text_lines > 0 ? 1 : 0);
    if (text_len + need >= TEXT_MAX) {
        text_overflow = true;
        return;
    }
    if (text_lines > 0)
        text[text_len++] = '\n';
    memcpy(text + text_len, s, n);
    text_len += n;
    text[text_len] = '\0';
    text_lines++;
}

/* Prints a NUL-terminated string of at most max bytes, escaped, in quotes. */
static void print_string(const char *s, size_t max)
{
    size_t n = 0;
    while (n <= max && s[n] != '\0')
        n++;
    if (n > max) {
        printf("<not NUL-terminated>");
        return;
    }
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            printf("\\n");
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_value(const cfg_value *v)
{
    switch (v->type) {
    case CFG_INT:
        printf("int %lld", (long long)v->integer);
        return;
    case CFG_STRING:
        printf("string ");
        print_string(v->string, CFG_MAX_STR_LEN);
        return;
    case CFG_LIST:
        if (v->count > CFG_MAX_LIST_LEN) {
            printf("list with bad count %zu", v->count);
            return;
        }
        printf("list [");
        for (size_t i = 0; i < v->count; i++)
            printf("%s%lld", i > 0 ? ", " : "", (long long)v->items[i]);
        printf("]");
        return;
    }
    printf("<bad type %d>", (int)v->type);
}

static void do_parse(void)
{
    static int parses;
    printf("parse #%d: ", ++parses);
    if (text_overflow) {
        printf("test text too long\n");
    } else {
        cfg_result r = cfg_parse(text, &table);
        const char *name = error_name(r.error);
        if (name == NULL)
            printf("unknown error %d on line %d\n", (int)r.error, r.line);
        else if (r.error != CFG_OK)
            printf("%s on line %d\n", name, r.line);
        else if (table.count > CFG_MAX_KEYS)
            printf("CFG_OK, bad count %zu\n", table.count);
        else if (r.line != 0)
            printf("CFG_OK, %zu key(s) (but line is %d)\n", table.count, r.line);
        else
            printf("CFG_OK, %zu key(s)\n", table.count);
    }
    text_len = 0;
    text_lines = 0;
    text_overflow = false;
    text[0] = '\0';
}

static void do_get(const char *key)
{
    const cfg_value *v = cfg_get(&table, key);
    printf("get %s: ", key);
    if (v == NULL) {
        printf("missing\n");
        return;
    }
    /* Only print values that really are in the table. */
    for (size_t i = 0; i < CFG_MAX_KEYS; i++) {
        if (v == &table.entries[i].value) {
            print_value(v);
            printf("\n");
            return;
        }
    }
    printf("<pointer outside the table>\n");
}

static void do_dump(void)
{
    if (table.count > CFG_MAX_KEYS) {
        printf("dump: bad count %zu\n", table.count);
        return;
    }
    printf("dump: %zu entries\n", table.count);
    for (size_t i = 0; i < table.count; i++) {
        const cfg_entry *e = &table.entries[i];
        printf("  ");
        print_string(e->key, CFG_MAX_KEY_LEN);
        printf(" = ");
        print_value(&e->value);
        printf("\n");
    }
}

int main(void)
{
    static char line[1024];
    memset(&table, 0xA5, sizeof table);
    text[0] = '\0';

    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] != '\n' && !feof(stdin)) {
            int c;
            while ((c = getchar()) != EOF && c != '\n')
                ;
            printf("line too long\n");
            continue;
        }
        if (n > 0 && line[n - 1] == '\n')
            line[--n] = '\0';

        if (line[0] == '>') {
            append_line(line[1] == ' ' ? line + 2 : line + 1);
        } else if (strcmp(line, "parse") == 0) {
            do_parse();
        } else if (strncmp(line, "get ", 4) == 0) {
            do_get(line + 4);
        } else if (strcmp(line, "dump") == 0) {
            do_dump();
        } else if (line[0] != '\0') {
            printf("bad command: %s\n", line);
        }
    }
    return 0;
}
