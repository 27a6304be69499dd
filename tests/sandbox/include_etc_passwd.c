/* Attack: read a host file at compile time through the preprocessor. The compiler sees only
   its own virtual filesystem, so this must be a compile error, never the file's contents. */
#include "/etc/passwd"
int main(void) { return 0; }
