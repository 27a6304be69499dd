/* Attack: unbounded recursion with large frames to overflow the stack into other memory. */
#include <stdio.h>
int dive(int depth) {
  volatile char frame[2048];
  frame[0] = (char)depth;
  return dive(depth + 1) + frame[0];
}
int main(void) { printf("%d\n", dive(0)); return 0; }
