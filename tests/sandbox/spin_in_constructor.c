/* Attack: spin before main is even called, in a constructor of the highest priority a program
   may give one (lower numbers are reserved, but accepted with a warning). */
__attribute__((constructor(0))) static void before_everything(void) {
  volatile unsigned long spins = 0;
  for (;;) spins++;
}

int main(void) { return 0; }
