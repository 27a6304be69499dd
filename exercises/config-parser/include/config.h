#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_KEYS 32     /* entries in a table */
#define CFG_MAX_KEY_LEN 31  /* characters in a key */
#define CFG_MAX_STR_LEN 63  /* bytes in a string value, after decoding escapes */
#define CFG_MAX_LIST_LEN 8  /* integers in a list */

typedef enum { CFG_INT, CFG_STRING, CFG_LIST } cfg_type;

typedef struct {
    cfg_type type;
    int64_t integer;                  /* CFG_INT */
    char string[CFG_MAX_STR_LEN + 1]; /* CFG_STRING, NUL-terminated */
    size_t count;                     /* CFG_LIST: number of items */
    int64_t items[CFG_MAX_LIST_LEN];  /* CFG_LIST */
} cfg_value;

typedef struct {
    char key[CFG_MAX_KEY_LEN + 1];    /* NUL-terminated */
    cfg_value value;
} cfg_entry;

typedef struct {
    size_t count;                     /* entries in use, in order of appearance */
    cfg_entry entries[CFG_MAX_KEYS];
} cfg_table;

typedef enum {
    CFG_OK = 0,
    CFG_ERR_SYNTAX,    /* the line does not follow the grammar */
    CFG_ERR_RANGE,     /* an integer does not fit in int64_t */
    CFG_ERR_STRING,    /* unterminated string or unknown escape */
    CFG_ERR_DUPLICATE, /* the key was already defined */
    CFG_ERR_LIMIT      /* one of the CFG_MAX_* limits is exceeded */
} cfg_error;

typedef struct {
    cfg_error error;
    int line;          /* 1-based line of the error, 0 if error == CFG_OK */
} cfg_result;

/* Parses the whole NUL-terminated text into *table, replacing its previous
 * contents. Stops at the first invalid line. */
cfg_result cfg_parse(const char *text, cfg_table *table);

/* The value of key in a table filled by a successful cfg_parse, or NULL. */
const cfg_value *cfg_get(const cfg_table *table, const char *key);

#endif
