// What makes runs fast must not change what they report: unchanged code is not compiled again
// (and still gets the same verdicts), a crash in every case is explained in every case from one
// symbolization, and an exercise prepared at start-up needs only the candidate's compile.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../../common/exercise.ts';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import type { Exercise } from '../../../server/src/exercises/types.ts';
import { createRunner, type LocalRunner } from '../../../server/src/runner/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');
let runner: LocalRunner;
let exercise: Exercise;
const logged: string[] = [];
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 2_000 }, log: { info: (message) => logged.push(message) } });
  exercise = await loadExercise(FIXTURE);
  await runner.ready();
});
afterAll(() => runner.close());

/** Calls made to the compiler while `work` runs. */
async function counting<T>(work: () => Promise<T>): Promise<{ value: T; compiles: number; symbolizes: number }> {
  const before = runner.stats();
  const value = await work();
  const after = runner.stats();
  return { value, compiles: after.compiles - before.compiles, symbolizes: after.symbolizes - before.symbolizes };
}

/** A grade without its timings, which naturally differ from one run to the next. */
function verdicts(result: GradeResult) {
  return { ...result, timings: undefined, cases: result.cases.map((c) => ({ ...c, timeMs: undefined })) };
}

describe('start-up preparation', () => {
  it('logs each exercise as ready, after which a grade compiles only the candidate', async () => {
    const report = await runner.warm([exercise]);
    expect(report).toEqual({ ready: ['sum-array'], failed: [] });
    expect(logged.some((line) => /^exercise sum-array ready in \d+ ms$/.test(line))).toBe(true);
    const first = await counting(() => runner.grade(exercise, `${exercise.solution}\n// first edit\n`));
    expect(first.value).toMatchObject({ status: 'ok', passed: 4 });
    expect(first.compiles).toBe(1);
  });
});

describe('compiled programs are cached by content', () => {
  const source = () => `${exercise.solution}\n// cached ${Math.random()}\n`;

  it('grades unchanged code again without the compiler, with the same verdicts', async () => {
    const code = exercise.wrong['skips_last.c']!;
    const first = await counting(() => runner.grade(exercise, code));
    const second = await counting(() => runner.grade(exercise, code));
    expect(first.compiles).toBe(1);
    expect(second.compiles).toBe(0);
    expect(second.value.timings.compileMs).toBe(0);
    expect(verdicts(second.value)).toEqual(verdicts(first.value));
    expect(second.value.cases.map((c) => c.status)).toEqual(['fail', 'fail', 'fail', 'fail']);
  });

  it('compiles again when the source changes', async () => {
    const code = source();
    await runner.grade(exercise, code);
    const changed = await counting(() => runner.grade(exercise, `${code} `));
    expect(changed.compiles).toBe(1);
    expect(changed.value.passed).toBe(4);
  });

  it('compiles again when the exercise changes, even under the same name', async () => {
    const code = source();
    await runner.grade(exercise, code);
    const edited: Exercise = { ...exercise, driver: `${exercise.driver}\n/* edited driver */\n` };
    const other = await counting(() => runner.grade(edited, code));
    // The edited driver's object, the candidate, and the reference solution for the new outputs.
    expect(other.compiles).toBe(3);
    expect(other.value.passed).toBe(4);
  });

  it('keeps compile errors too, with their diagnostics', async () => {
    const broken = '#include "sum.h"\nlong long sum(const int *values, size_t count) {\n  return values[0] +\n}\n';
    const first = await counting(() => runner.grade(exercise, broken));
    const second = await counting(() => runner.grade(exercise, broken));
    expect(second.compiles).toBe(0);
    expect(second.value.status).toBe('compile_error');
    expect(second.value.diagnostics).toEqual(first.value.diagnostics);
    expect(second.value.diagnostics[0]).toMatchObject({ line: 4, severity: 'error' });
  });

  it('runs an unchanged stand-alone program again without the compiler', async () => {
    const program = '#include <stdio.h>\nint main(void) { int n; if (scanf("%d", &n) != 1) return 1; printf("%d\\n", n * 2); return 0; }\n';
    await runner.run(program, { stdin: '4\n' });
    const again = await counting(() => runner.run(program, { stdin: '21\n' }));
    expect(again.compiles).toBe(0);
    expect(again.value).toMatchObject({ status: 'ok', stdout: '42\n', exitCode: 0 });
  });
});

describe('grades that cannot change are kept', () => {
  /** Grades answered from the grade cache while `work` runs. */
  async function gradeHits<T>(work: () => Promise<T>): Promise<{ value: T; hits: number; compiles: number }> {
    const before = runner.stats();
    const value = await work();
    const after = runner.stats();
    return { value, hits: after.gradeHits - before.gradeHits, compiles: after.compiles - before.compiles };
  }

  it('answers a re-run of a program that sees only its input from the stored grade', async () => {
    const code = `${exercise.wrong['skips_last.c']!}\n// stored ${Math.random()}\n`;
    const first = await gradeHits(() => runner.grade(exercise, code));
    const again = await gradeHits(() => runner.grade(exercise, code));
    expect(first.hits).toBe(0);
    expect(again).toMatchObject({ hits: 1, compiles: 0 });
    expect(again.value).toEqual({ ...first.value, timings: { ...first.value.timings, compileMs: 0 } });
    // A caller changing its copy does not change the next answer.
    again.value.cases[0]!.status = 'pass';
    expect((await runner.grade(exercise, code)).cases[0]!.status).toBe('fail');
  });

  it('runs a program that reads the clock again every time', async () => {
    const code = `#include "sum.h"
#include <time.h>
long long sum(const int *values, size_t count) {
  long long total = time(0) < 0 ? 1 : 0;
  for (size_t i = 0; i < count; i++) total += values[i];
  return total;
}
// clock ${Math.random()}
`;
    const first = await gradeHits(() => runner.grade(exercise, code));
    const again = await gradeHits(() => runner.grade(exercise, code));
    expect(first.value.passed).toBe(4);
    expect(again).toMatchObject({ hits: 0, compiles: 0 });
    expect(again.value.passed).toBe(4);
  });

  it('grades again when a case ran out of time', async () => {
    const quick = createRunner({ limits: { concurrency: 1, runMs: 300 } });
    try {
      const code = `#include "sum.h"
long long sum(const int *values, size_t count) {
  volatile long long spins = 0;
  while (count < (size_t)-1) spins++;
  return values[0] + spins;
}
`;
      const first = await quick.grade(exercise, code);
      expect(first.cases.map((c) => c.status)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
      await quick.grade(exercise, code);
      expect(quick.stats().gradeHits).toBe(0);
    } finally {
      await quick.close();
    }
  });
});

describe('a crash in every case', () => {
  it('names the fault, function and line in every case, from one symbolization', async () => {
    const crashing = `#include "sum.h"
long long sum(const int *values, size_t count) {
  const int *missing = count > 1000000 ? values : 0;
  return *missing + (long long)count;
}`;
    const graded = await counting(() => runner.grade(exercise, crashing));
    expect(graded.value.cases.map((c) => c.status)).toEqual(['runtime_error', 'runtime_error', 'runtime_error', 'runtime_error']);
    for (const result of graded.value.cases) expect(result.fault).toMatchObject({ kind: 'null_dereference', function: 'sum', line: 4 });
    expect(graded.symbolizes).toBe(1);
    // The same program again: every address is known already.
    const again = await counting(() => runner.grade(exercise, crashing));
    expect(again.symbolizes).toBe(0);
    expect(again.value.cases.map((c) => c.fault)).toEqual(graded.value.cases.map((c) => c.fault));
  });

  it('explains two different crashes in one grade, each symbolized once', async () => {
    const twoWays = `#include "sum.h"
long long sum(const int *values, size_t count) {
  if (values[0] != 1) return (long long)values[0] / (long long)(count > 100000);
  const int *missing = count > 1000000 ? values : 0;
  return *missing;
}`;
    const graded = await counting(() => runner.grade(exercise, twoWays));
    const faults = Object.fromEntries(graded.value.cases.map((c) => [c.name, c.fault && [c.fault.kind, c.fault.line]]));
    expect(faults).toEqual({ small: ['null_dereference', 5], 'three rows': ['null_dereference', 5], negatives: ['divide_by_zero', 3], large: ['divide_by_zero', 3] });
    // Each distinct trap once: the first starts while the other cases run, the second follows.
    expect(graded.symbolizes).toBe(2);
  });
});
