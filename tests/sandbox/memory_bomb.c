/* Attack: allocate and touch memory without bound to exhaust the host. The module's declared
   maximum caps it at the runner's limit; malloc returns NULL, which this program ignores. */
#include <stdlib.h>
#include <string.h>
static char *kept[1 << 16];
int main(void) {
  for (int i = 0; i < (1 << 16); i++) {
    kept[i] = malloc(1 << 20);
    memset(kept[i], 0xAB, 1 << 20);
  }
  return kept[0][0];
}
