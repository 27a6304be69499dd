// Stand-alone programs through the real compiler and sandbox: output, exit codes, diagnostics,
// and each runtime fault kind explained with its function and line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';

let runner: Runner;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 1_500 } });
  await runner.ready();
});
afterAll(() => runner.close());

describe('running a program', () => {
  it('prints hello world and exits 0', async () => {
    const result = await runner.run('#include <stdio.h>\nint main(void) { puts("hello, world"); return 0; }\n');
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'hello, world\n', stderr: '', diagnostics: [] });
    expect(result.timings.compileMs).toBeGreaterThan(0);
  });

  it('feeds stdin and keeps stdout and stderr apart', async () => {
    const source = `#include <stdio.h>
int main(void) {
  int a, b;
  if (scanf("%d %d", &a, &b) != 2) return 1;
  printf("%d\\n", a * b);
  fprintf(stderr, "debug: a=%d\\n", a);
  return 0;
}`;
    const result = await runner.run(source, { stdin: '6 7\n' });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: '42\n', stderr: 'debug: a=6\n' });
  });

  it('reports the exit code of main and of exit()', async () => {
    expect((await runner.run('int main(void) { return 3; }')).exitCode).toBe(3);
    const viaExit = await runner.run('#include <stdlib.h>\nvoid quit(void) { exit(42); }\nint main(void) { quit(); return 0; }');
    expect(viaExit).toMatchObject({ status: 'ok', exitCode: 42 });
  });

  it('reports compile errors with line and column', async () => {
    const result = await runner.run('int main(void) {\n  return undefined_name;\n}\n');
    expect(result.status).toBe('compile_error');
    expect(result.diagnostics).toContainEqual({ line: 2, column: 10, severity: 'error', message: "use of undeclared identifier 'undefined_name'" });
    expect(result.compilerOutput).toContain('solution.c:2:10'); // the file the candidate sees
    expect(result.compilerOutput).not.toContain('candidate.c');
  });

  it('reports warnings of a program that compiles', async () => {
    const result = await runner.run('int main(void) {\n  int unused;\n  return 0;\n}\n');
    expect(result.status).toBe('ok');
    expect(result.diagnostics).toEqual([{ line: 2, column: 7, severity: 'warning', message: "unused variable 'unused' [-Wunused-variable]" }]);
  });

  it('keeps what a program printed before it was stopped for time', async () => {
    const source = '#include <stdio.h>\nint main(void) {\n  puts("started");\n  for (volatile int spin = 0;; spin++) {}\n}\n';
    const result = await runner.run(source);
    expect(result).toMatchObject({ status: 'timeout', exitCode: null, stdout: 'started\n' });
  });

  it('sleeps for as long as the program asks', async () => {
    const source =
      '#define _POSIX_C_SOURCE 200809L\n#include <stdio.h>\n#include <time.h>\nint main(void) {\n  struct timespec pause = {0, 100000000};\n  nanosleep(&pause, 0);\n  puts("awake");\n  return 0;\n}\n';
    const result = await runner.run(source);
    expect(result).toMatchObject({ status: 'ok', stdout: 'awake\n' });
    expect(result.timings.runMs).toBeGreaterThanOrEqual(95);
  });

  it('turns a missing function into a link diagnostic', async () => {
    const result = await runner.run('int helper(void);\nint main(void) { return helper(); }\n');
    expect(result.status).toBe('compile_error');
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ line: 1, severity: 'error', message: expect.stringContaining('helper is used but never defined') }));
  });
});

describe('runtime faults are classified and located', () => {
  const cases: Array<[string, string, string, string, number]> = [
    ['NULL dereference', 'int get(int *p) { return *p; }\nint main(int argc, char **argv) { (void)argv; return get(argc > 5 ? &argc : 0); }', 'null_dereference', 'get', 1],
    [
      'signed overflow',
      '#include <limits.h>\nint add(int a, int b) { return a + b; }\nint main(int argc, char **argv) { (void)argv; return add(INT_MAX, argc); }',
      'signed_overflow',
      'add',
      2,
    ],
    ['division by zero', 'int divide(int a, int b) { return a / b; }\nint main(int argc, char **argv) { (void)argv; return divide(10, argc - 1); }', 'divide_by_zero', 'divide', 1],
    ['array index out of bounds', 'int table[4];\nint main(int argc, char **argv) {\n  (void)argv;\n  return table[argc + 4];\n}', 'out_of_bounds', 'main', 4],
    ['wild pointer', 'int main(int argc, char **argv) {\n  (void)argv;\n  volatile int *p = (int *)0x7ffffff0;\n  return p[argc * 1000];\n}', 'out_of_bounds', 'main', 4],
    [
      'stack overflow',
      'int dive(int n) {\n  volatile char frame[1024];\n  frame[0] = (char)n;\n  return dive(n + 1) + frame[0];\n}\nint main(void) { return dive(0); }',
      'stack_overflow',
      'dive',
      1,
    ],
    ['abort', '#include <stdlib.h>\nvoid give_up(void) { abort(); }\nint main(void) { give_up(); return 0; }', 'abort', 'give_up', 2],
    ['failed assert', '#include <assert.h>\nint main(int argc, char **argv) {\n  (void)argv;\n  assert(argc == 5);\n  return 0;\n}', 'assertion_failed', 'main', 4],
  ];
  it.each(cases)('%s', async (_name, source, kind, fn, line) => {
    const result = await runner.run(source);
    expect(result.status).toBe('runtime_error');
    expect(result.exitCode).toBeNull();
    expect(result.fault).toMatchObject({ kind, function: fn, line });
    expect(result.fault?.message.length).toBeGreaterThan(10);
  });

  it('explains an exhausted memory limit', async () => {
    const source =
      '#include <stdlib.h>\n#include <string.h>\nstatic char *kept[1000];\nint main(void) {\n  for (int i = 0; i < 1000; i++) { kept[i] = malloc(1 << 20); memset(kept[i], 1, 1 << 20); }\n  return 0;\n}';
    const result = await runner.run(source);
    expect(result.status).toBe('memory_limit');
    expect(result.fault?.kind).toBe('memory_exhausted');
    expect(result.stderr).toContain('64 MiB memory limit');
  });

  it('lets a program that handles malloc returning NULL finish normally', async () => {
    // The size comes from stdin so that the compiler cannot assume the allocation succeeds.
    const source =
      '#include <stdio.h>\n#include <stdlib.h>\nchar *volatile kept;\nint main(void) {\n  size_t size = 0;\n  if (scanf("%zu", &size) != 1) return 1;\n  kept = malloc(size);\n  printf("%s\\n", kept ? "got it" : "refused");\n  return 0;\n}';
    const result = await runner.run(source, { stdin: '3000000000\n' });
    expect(result).toMatchObject({ status: 'ok', exitCode: 0, stdout: 'refused\n' });
    expect(result.stderr).toBe(''); // a request no memory could satisfy is not the limit's doing
  });
});

describe('the job queue with real jobs', () => {
  it('runs one job at a time at concurrency 1 and reports queue positions', async () => {
    const positions: number[][] = [[], [], []];
    const jobs = [0, 1, 2].map((index) => runner.run(`int main(void) { return ${index + 10}; }`, { onQueued: (position) => positions[index]!.push(position) }));
    expect(runner.pending()).toBe(3);
    const results = await Promise.all(jobs);
    expect(results.map((r) => r.exitCode)).toEqual([10, 11, 12]);
    expect(positions).toEqual([[0], [1, 0], [2, 1, 0]]);
    expect(runner.pending()).toBe(0);
  });
});
