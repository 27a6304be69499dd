/* Attack: switch the step counter off for one function and spin there, so that only the wall
   clock can stop it. Its worker must be terminated: nothing may go on computing afterwards. */
__attribute__((no_sanitize("coverage"))) static void spin(void) {
  volatile unsigned long spins = 0;
  for (;;) spins++;
}

int main(void) {
  spin();
}
