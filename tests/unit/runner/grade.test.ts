// Grading is decided on the host: nothing the candidate's program prints or returns can claim a
// pass it did not earn, and one crashing case does not hide the others.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import type { Exercise } from '../../../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');
let runner: Runner;
let exercise: Exercise;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 1_000 } });
  exercise = await loadExercise(FIXTURE);
  await runner.ready();
});
afterAll(() => runner.close());

const statuses = (result: Awaited<ReturnType<Runner['grade']>>) => Object.fromEntries(result.cases.map((c) => [c.name, c.status]));

describe('grading', () => {
  it('passes the reference and reports each case', async () => {
    const result = await runner.grade(exercise, exercise.solution);
    expect(result).toMatchObject({ status: 'ok', passed: 4, total: 4 });
    expect(result.cases.map((c) => [c.name, c.visible])).toEqual([
      ['small', true],
      ['three rows', true],
      ['negatives', false],
      ['large', false],
    ]);
  });

  it('shows a readable diff for failing cases, the input of visible ones only', async () => {
    const result = await runner.grade(exercise, exercise.wrong['skips_last.c']!);
    expect(statuses(result)).toEqual({ small: 'fail', 'three rows': 'fail', negatives: 'fail', large: 'fail' });
    const small = result.cases.find((c) => c.name === 'small')!;
    expect(small.detail).toMatchObject({ input: '1 2 3\n', expected: 'row 1: sum = 6\ndone\n', actual: 'row 1: sum = 3\ndone\n' });
    expect(small.detail?.diff).toBe('- row 1: sum = 6\n+ row 1: sum = 3\n  done');
    // Hidden failures: expected and actual for reviewers (common/redact.ts keeps them from others), never the input.
    for (const hidden of result.cases.filter((c) => !c.visible)) {
      expect(hidden.detail).toMatchObject({ expected: expect.stringContaining('sum = '), actual: expect.any(String), diff: expect.stringMatching(/^- /m) });
      expect(hidden.detail).not.toHaveProperty('input');
    }
  });

  it('cannot be passed by printing success and exiting early', async () => {
    const forged = `#include <stdio.h>
#include <stdlib.h>
#include "sum.h"
long long sum(const int *values, size_t count) {
  (void)values; (void)count;
  puts("all tests passed");
  puts("PASS");
  exit(0);
}`;
    const result = await runner.grade(exercise, forged);
    expect(result.passed).toBe(0);
    expect(result.cases.every((c) => c.status === 'fail')).toBe(true);
  });

  it('cannot be passed by eating the driver input and printing a plausible answer', async () => {
    const forged = `#include <stdio.h>
#include <stdlib.h>
#include "sum.h"
long long sum(const int *values, size_t count) {
  (void)values; (void)count;
  char junk[256];
  while (fgets(junk, sizeof junk, stdin)) {}
  printf("row 1: sum = 6\\ndone\\n");
  exit(0);
}`;
    const result = await runner.grade(exercise, forged);
    // It may hard-code the one visible case it has seen, but nothing else.
    expect(statuses(result)).toEqual({ small: 'pass', 'three rows': 'fail', negatives: 'fail', large: 'fail' });
  });

  it('isolates a crash to its own case', async () => {
    const crashing = `#include "sum.h"
long long sum(const int *values, size_t count) {
  long long total = 0;
  for (size_t i = 0; i < count; i++) total += values[i];
  if (count == 2) total /= (long long)(count - 2);
  return total;
}`;
    const result = await runner.grade(exercise, crashing);
    expect(statuses(result)).toEqual({ small: 'pass', 'three rows': 'runtime_error', negatives: 'pass', large: 'pass' });
    const crashed = result.cases.find((c) => c.name === 'three rows')!;
    expect(crashed.fault).toMatchObject({ kind: 'divide_by_zero', function: 'sum', line: 5 });
  });

  it('ignores stderr, so candidates may print debug output there', async () => {
    const chatty = exercise.solution
      .replace('return total;', 'fprintf(stderr, "debug %lld\\n", total);\n  return total;')
      .replace('#include "sum.h"', '#include <stdio.h>\n#include "sum.h"');
    const result = await runner.grade(exercise, chatty);
    expect(result.passed).toBe(4);
    // ...and shows it on passing visible cases too, never for hidden ones.
    expect(result.cases.find((c) => c.name === 'small')?.stderr).toMatch(/^debug -?\d+\n/);
    for (const hidden of result.cases.filter((c) => !c.visible)) expect(hidden).not.toHaveProperty('stderr');
  });

  it('reports a compile error for every case, with diagnostics in the candidate file', async () => {
    const result = await runner.grade(exercise, '#include "sum.h"\nlong long sum(const int *values, size_t count) {\n  return values[0] +\n}\n');
    expect(result.status).toBe('compile_error');
    expect(result.cases.every((c) => c.status === 'compile_error')).toBe(true);
    expect(result.diagnostics[0]).toMatchObject({ line: 4, severity: 'error' });
  });

  it('reports a candidate that defines main as a link error', async () => {
    const result = await runner.grade(exercise, `${exercise.solution}\nint main(void) { return 0; }\n`);
    expect(result.status).toBe('compile_error');
    expect(result.diagnostics.some((d) => d.message.includes('main'))).toBe(true);
  });

  it('refuses an oversized source without compiling', async () => {
    const result = await runner.grade(exercise, `${exercise.solution}/*${'x'.repeat(70_000)}*/`);
    expect(result).toMatchObject({ status: 'rejected', passed: 0 });
    expect(result.error).toMatch(/limit is 65536 bytes/);
  });
});
