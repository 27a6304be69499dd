/* Attack: never finish, to hold a worker forever. The watchdog must kill it at the time limit. */
int main(void) {
  volatile unsigned long spins = 0;
  for (;;) spins++;
}
