// Scratch file: a main() of your own, compiled with solution.c and run with the stdin
// typed below. It is never graded: try your functions here.
#include <stdio.h>
#include "hexdump.h"

int main(void) {
    const uint8_t data[] = "Hello, hexdump!";
    char out[512];
    size_t n = hex_dump(data, sizeof data - 1, 0, out, sizeof out);
    printf("%zu characters:\n%s", n, out);
    return 0;
}
