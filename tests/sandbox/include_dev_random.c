/* Attack: make the compiler read an endless device file and hang or exhaust memory. */
#include "/dev/random"
int main(void) { return 0; }
