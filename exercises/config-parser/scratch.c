// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "config.h"

static char text[4096];

int main(void) {
    size_t n = fread(text, 1, sizeof text - 1, stdin); // type a config as stdin
    text[n] = '\0';
    static cfg_table table;
    cfg_result r = cfg_parse(text, &table);
    printf("error %d at line %d, %zu keys\n", (int)r.error, r.line, table.count);
    return 0;
}
