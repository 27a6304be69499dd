// Each limit is enforced and has its own verdict; the runner keeps working afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';
import { resolveLimits } from '../../../server/src/runner/limits.ts';

let runner: Runner;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 1_000, compileMs: 5_000, sourceBytes: 2_000, outputBytes: 1_000, memoryBytes: 16 * 1024 * 1024 } });
  await runner.ready();
});
afterAll(() => runner.close());

describe('limits', () => {
  it('refuses a source over the size limit before compiling', async () => {
    const result = await runner.run(`int main(void) { return 0; }\n/*${'x'.repeat(2_000)}*/`);
    expect(result.status).toBe('rejected');
    expect(result.error).toMatch(/limit is 2000 bytes/);
  });

  it('stops a program at the run time limit (its step budget: what an idle machine does in runMs)', async () => {
    const result = await runner.run('int main(void) { volatile int x = 0; for (;;) x++; }');
    expect(result.status).toBe('timeout');
    // Steps, not milliseconds: about runMs on an idle machine, within the backstop on a busy one.
    expect(result.timings.runMs).toBeGreaterThanOrEqual(200);
    expect(result.timings.runMs).toBeLessThan(5_000);
  });

  it('stops a program that sleeps past the wall clock (what steps do not count)', async () => {
    const result = await runner.run('#include <unistd.h>\nint main(void) { sleep(30); return 0; }');
    expect(result.status).toBe('timeout');
    // A run with no reference has twice runMs on the wall clock.
    expect(result.timings.runMs).toBeGreaterThanOrEqual(2_000);
    expect(result.timings.runMs).toBeLessThan(5_000);
  });

  it('truncates and flags output over the cap, stdout and stderr each', async () => {
    const flood = await runner.run('#include <stdio.h>\nint main(void) { for (;;) puts("0123456789"); }');
    expect(flood.status).toBe('output_limit');
    expect(flood.stdoutTruncated).toBe(true);
    expect(Buffer.byteLength(flood.stdout)).toBe(1_000);
    const errors = await runner.run('#include <stdio.h>\nint main(void) { for (;;) fputs("oops\\n", stderr); }');
    expect(errors.status).toBe('output_limit');
    expect(errors.stderrTruncated).toBe(true);
  });

  it('applies the configured memory ceiling', async () => {
    const source = `#include <stdio.h>
#include <stdlib.h>
static void *kept[64];
int main(void) {
  int mib = 0;
  while (mib < 64 && (kept[mib] = malloc(1 << 20)) != NULL) mib++;
  printf("%d\\n", mib);
  return 0;
}`;
    const result = await runner.run(source);
    expect(result.status).toBe('ok'); // it handled NULL itself
    const mib = Number(result.stdout);
    expect(mib).toBeGreaterThan(8);
    expect(mib).toBeLessThan(16);
  });

  it('stops a compile at the compile time limit and compiles the next job normally', async () => {
    const defines = Array.from({ length: 26 }, (_, i) => `#define M${i + 1} M${i} M${i}`).join('\n');
    const bomb = `#define M0 x x\n${defines}\nint x = sizeof((char[]){ M26 });\nint main(void) { return 0; }\n`;
    const result = await runner.run(bomb);
    expect(result.status).toBe('timeout');
    expect(result.error).toMatch(/compilation took longer than 5000 ms/);
    const next = await runner.run('int main(void) { return 7; }');
    expect(next).toMatchObject({ status: 'ok', exitCode: 7 });
  });

  it('validates limit settings', () => {
    expect(() => resolveLimits({ memoryBytes: 1000 })).toThrow(/multiple of 64 KiB/);
    expect(() => resolveLimits({ runMs: 0 })).toThrow(/positive integer/);
  });
});
