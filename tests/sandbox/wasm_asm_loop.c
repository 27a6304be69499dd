/* Attack: a loop written in WebAssembly itself (clang accepts inline assembly for wasm), which
   no instrumentation of C code can count. Only terminating its worker stops it. */
int main(void) {
  __asm__ volatile("loop\n br 0\n end_loop");
  return 0;
}
