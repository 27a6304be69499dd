#include "config.h"

#include <stdbool.h>
#include <string.h>

cfg_result cfg_parse(const char *text, cfg_table *table)
{
    /* TODO */
    (void)text;
    table->count = 0;
    cfg_result r = {CFG_OK, 0};
    return r;
}

const cfg_value *cfg_get(const cfg_table *table, const char *key)
{
    /* TODO */
    (void)table;
    (void)key;
    return NULL;
}
