// The runner's shim counts live allocations and refuses invalid frees, so that test drivers can
// check that a candidate freed what it must (and a double free cannot corrupt the heap).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';

let runner: Runner;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 1_500 } });
  await runner.ready();
});
afterAll(() => runner.close());

// Pointers are stored in a volatile array so that clang cannot drop an allocation it sees unused.
const PRELUDE = `#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
extern size_t runner_allocations_live(void);
extern size_t runner_invalid_frees(void);
void *volatile kept[8];
static size_t base;
static void show(const char *when) {
  printf("%s: %zu live, %zu invalid\\n", when, runner_allocations_live() - base, runner_invalid_frees());
}
`;

describe('allocation counting', () => {
  it('counts every allocator up and every free back down', async () => {
    const source = `${PRELUDE}
int main(void) {
  base = runner_allocations_live();
  kept[0] = malloc(10);
  kept[1] = calloc(3, 4);
  kept[2] = realloc(NULL, 7);
  kept[3] = aligned_alloc(64, 128);
  void *aligned;
  if (posix_memalign(&aligned, 32, 40) == 0) kept[4] = aligned;
  kept[5] = strdup("made by libc");
  kept[6] = malloc(0);
  show("allocated");
  kept[0] = realloc(kept[0], 100000); /* moves */
  kept[0] = realloc(kept[0], 0);      /* wasi-libc keeps a minimum-size block */
  show("reallocated");
  for (int i = 0; i < 7; i++) free(kept[i]);
  free(NULL);
  show("freed");
  return 0;
}`;
    const result = await runner.run(source);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, stderr: '' });
    expect(result.stdout).toBe('allocated: 7 live, 0 invalid\nreallocated: 7 live, 0 invalid\nfreed: 0 live, 0 invalid\n');
  });

  it('leaves a failed allocation uncounted and a failed realloc neutral', async () => {
    const source = `${PRELUDE}
int main(void) {
  size_t huge = 0;
  if (scanf("%zu", &huge) != 1) return 1;
  base = runner_allocations_live();
  kept[0] = malloc(huge);
  kept[1] = malloc(16);
  kept[2] = realloc(kept[1], huge);
  show(kept[0] || kept[2] ? "unexpected" : "refused");
  free(kept[1]);
  show("freed");
  return 0;
}`;
    const result = await runner.run(source, { stdin: '3000000000\n' });
    expect(result.stdout).toBe('refused: 1 live, 0 invalid\nfreed: 0 live, 0 invalid\n');
  });

  it('counts and ignores double, interior and stack frees instead of corrupting the heap', async () => {
    const source = `${PRELUDE}
int main(int argc, char **argv) {
  (void)argv;
  base = runner_allocations_live();
  char *block = malloc(32);
  kept[0] = block;
  kept[1] = malloc(32);              /* allocated first, so it cannot reuse block's address */
  free(block);
  free(block);                       /* double free */
  free((char *)kept[1] + argc);      /* not the start of a block */
  int local;
  free(argc > 0 ? (void *)&local : (void *)block);
  kept[2] = realloc(block, 64);      /* realloc of a freed block */
  show(kept[2] ? "unexpected" : "after");
  free(kept[1]);
  show("freed");
  return 0;
}`;
    const result = await runner.run(source);
    expect(result).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(result.stdout).toBe('after: 1 live, 4 invalid\nfreed: 0 live, 4 invalid\n');
    expect(result.stderr.match(/\[runner\] invalid free:/g)).toHaveLength(4);
  });

  it('keeps an exact count over thousands of blocks (the pointer set grows and shrinks)', async () => {
    const source = `${PRELUDE}
static void *blocks[20000];
int main(void) {
  base = runner_allocations_live();
  for (int i = 0; i < 20000; i++) blocks[i] = malloc((size_t)(i % 97) + 1);
  for (int i = 0; i < 20000; i += 3) free(blocks[i]);
  show("two thirds");
  for (int i = 0; i < 20000; i++) if (i % 3) blocks[i] = realloc(blocks[i], 200);
  for (int i = 0; i < 20000; i++) if (i % 3) free(blocks[i]);
  show("none");
  return 0;
}`;
    const result = await runner.run(source);
    expect(result.stdout).toBe('two thirds: 13333 live, 0 invalid\nnone: 0 live, 0 invalid\n');
  });
});
