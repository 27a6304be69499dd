/* Wrong: first checks every line's syntax, strings and integers, then builds the table in a second pass that finds duplicates and the 33rd key, so a duplicate is reported after a syntax error on a later line. */
#include "config.h"

#include <stdbool.h>
#include <string.h>

/* Otherwise as the reference: a single left-to-right pass over each line, with a
 * cursor `s` that never goes past the end of the line `end`. */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_key_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_key_char(char c)
{
    return is_key_start(c) || is_digit(c);
}

static const char *skip_ws(const char *s, const char *end)
{
    while (s < end && is_ws(*s))
        s++;
    return s;
}

/* integer = ["+" | "-"] digit {digit}, within int64_t. */
static cfg_error parse_int(const char **sp, const char *end, int64_t *out)
{
    const char *s = *sp;
    bool negative = false;
    if (s < end && (*s == '+' || *s == '-')) {
        negative = *s == '-';
        s++;
    }
    if (s == end || !is_digit(*s))
        return CFG_ERR_SYNTAX;

    /* Accumulate the magnitude; a negative number may reach 2^63. */
    uint64_t limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    uint64_t magnitude = 0;
    while (s < end && is_digit(*s)) {
        unsigned digit = (unsigned)(*s - '0');
        if (magnitude > (limit - digit) / 10)
            return CFG_ERR_RANGE;
        magnitude = magnitude * 10 + digit;
        s++;
    }

    if (!negative)
        *out = (int64_t)magnitude;
    else if (magnitude == (uint64_t)INT64_MAX + 1)
        *out = INT64_MIN;
    else
        *out = -(int64_t)magnitude;
    *sp = s;
    return CFG_OK;
}

/* string = '"' {char | '\"' | '\\' | '\n'} '"', on one line. */
static cfg_error parse_string(const char **sp, const char *end, char *out)
{
    const char *s = *sp + 1; /* skip the opening quote */
    size_t n = 0;
    for (;;) {
        if (s == end)
            return CFG_ERR_STRING; /* no closing quote on this line */
        char c = *s++;
        if (c == '"')
            break;
        if (c == '\\') {
            if (s == end)
                return CFG_ERR_STRING;
            char e = *s++;
            if (e == '"' || e == '\\')
                c = e;
            else if (e == 'n')
                c = '\n';
            else
                return CFG_ERR_STRING;
        }
        if (n == CFG_MAX_STR_LEN)
            return CFG_ERR_LIMIT;
        out[n++] = c;
    }
    out[n] = '\0';
    *sp = s;
    return CFG_OK;
}

/* list = "[" [integer {"," integer}] "]", with optional whitespace. */
static cfg_error parse_list(const char **sp, const char *end, cfg_value *v)
{
    const char *s = skip_ws(*sp + 1, end);
    v->count = 0;
    if (s < end && *s == ']') {
        *sp = s + 1;
        return CFG_OK;
    }
    for (;;) {
        int64_t item;
        cfg_error e = parse_int(&s, end, &item);
        if (e != CFG_OK)
            return e;
        if (v->count == CFG_MAX_LIST_LEN)
            return CFG_ERR_LIMIT;
        v->items[v->count++] = item;
        s = skip_ws(s, end);
        if (s < end && *s == ']') {
            *sp = s + 1;
            return CFG_OK;
        }
        if (s == end || *s != ',')
            return CFG_ERR_SYNTAX;
        s = skip_ws(s + 1, end);
    }
}

static bool validating; /* first pass: the grammar only */

static cfg_error parse_line(const char *s, const char *end, cfg_table *table)
{
    s = skip_ws(s, end);
    if (s == end || *s == '#')
        return CFG_OK; /* blank or comment line */

    if (!is_key_start(*s))
        return CFG_ERR_SYNTAX;
    const char *key = s;
    while (s < end && is_key_char(*s))
        s++;
    size_t key_len = (size_t)(s - key);
    if (key_len > CFG_MAX_KEY_LEN)
        return CFG_ERR_LIMIT;

    s = skip_ws(s, end);
    if (s == end || *s != '=')
        return CFG_ERR_SYNTAX;
    s = skip_ws(s + 1, end);
    if (s == end)
        return CFG_ERR_SYNTAX;

    cfg_value value;
    memset(&value, 0, sizeof value);
    cfg_error e;
    if (*s == '"') {
        value.type = CFG_STRING;
        e = parse_string(&s, end, value.string);
    } else if (*s == '[') {
        value.type = CFG_LIST;
        e = parse_list(&s, end, &value);
    } else {
        value.type = CFG_INT;
        e = parse_int(&s, end, &value.integer);
    }
    if (e != CFG_OK)
        return e;

    /* Only whitespace and a comment may follow the value. */
    s = skip_ws(s, end);
    if (s != end && *s != '#')
        return CFG_ERR_SYNTAX;

    if (validating)
        return CFG_OK;
    for (size_t i = 0; i < table->count; i++) {
        const char *k = table->entries[i].key;
        if (strlen(k) == key_len && memcmp(k, key, key_len) == 0)
            return CFG_ERR_DUPLICATE;
    }
    if (table->count == CFG_MAX_KEYS)
        return CFG_ERR_LIMIT;

    cfg_entry *entry = &table->entries[table->count++];
    memcpy(entry->key, key, key_len);
    entry->key[key_len] = '\0';
    entry->value = value;
    return CFG_OK;
}

static cfg_result parse_pass(const char *text, cfg_table *table);

cfg_result cfg_parse(const char *text, cfg_table *table)
{
    validating = true;
    cfg_result r = parse_pass(text, table);
    validating = false;
    if (r.error != CFG_OK)
        return r;
    return parse_pass(text, table);
}

static cfg_result parse_pass(const char *text, cfg_table *table)
{
    table->count = 0;
    int line = 1;
    for (;;) {
        const char *end = strchr(text, '\n');
        if (end == NULL)
            end = text + strlen(text);
        cfg_error e = parse_line(text, end, table);
        if (e != CFG_OK)
            return (cfg_result){e, line};
        if (*end == '\0')
            return (cfg_result){CFG_OK, 0};
        text = end + 1;
        line++;
    }
}

const cfg_value *cfg_get(const cfg_table *table, const char *key)
{
    for (size_t i = 0; i < table->count; i++) {
        if (strcmp(table->entries[i].key, key) == 0)
            return &table->entries[i].value;
    }
    return NULL;
}
