/* Attack: print without end to fill the host's memory or the results panel. */
#include <stdio.h>
int main(void) {
  for (;;) fputs("all tests passed! all tests passed! all tests passed!\n", stdout);
}
