/* Attack: read a host file at run time. The sandbox mounts no host directory, so fopen fails. */
#include <stdio.h>
int main(void) {
  const char *paths[] = {"/etc/passwd", "/etc/hostname", "/proc/self/environ", "../../etc/passwd"};
  for (int i = 0; i < 4; i++) {
    FILE *file = fopen(paths[i], "r");
    if (file) {
      char line[256];
      if (fgets(line, sizeof line, file)) printf("LEAK %s: %s", paths[i], line);
      fclose(file);
    } else {
      printf("denied %s\n", paths[i]);
    }
  }
  return 0;
}
