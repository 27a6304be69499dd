/* Attack: the same flood on stderr, which is capped separately. */
#include <stdio.h>
int main(void) {
  for (;;) fputs("error error error error error error error error error\n", stderr);
}
