// A program that computes forever must stop at its limit for real: once its verdict is out, the
// process's CPU is idle and its thread count is back to what it was, whether the program was
// stopped by its step budget or, having escaped the counter, by terminating its worker. And many
// such programs in a row leave the runner as fast as before.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../server/src/exercises/load.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import { createRunner, type LocalRunner } from '../../server/src/runner/index.ts';
import { cpuMsOver, settleThreads, threadCount } from '../support/process-load.ts';

const RUN_MS = 600;
let runner: LocalRunner;
let exercise: Exercise;
let baselineThreads: number;

const sandboxFile = (name: string) => readFile(path.join(import.meta.dirname, name), 'utf8');
const sumWith = (body: string) => `#include "sum.h"\nlong long sum(const int *values, size_t count) {\n${body}\n}\n`;
const SPIN = 'volatile unsigned long spins = 0;\n  for (;;) spins++;';
const ORDINARY = sumWith('long long total = 0;\n  for (size_t i = 0; i < count; i++) total += values[i];\n  return total;');

beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, caseLanes: 2, runMs: RUN_MS, fuelFloor: 2_000_000, fuelCeiling: 20_000_000 } });
  exercise = await loadExercise(path.resolve(import.meta.dirname, '../fixtures/exercises/sum-array'));
  await runner.ready();
  // The baseline is taken once the process has done each kind of work (a grade, a trap, a
  // console run, a terminated worker): Node and the SDK start some threads on first use only.
  expect((await runner.grade(exercise, exercise.solution)).passed).toBe(exercise.cases.length);
  expect((await runner.grade(exercise, sumWith('int *p = 0;\n  return *p;'))).status).toBe('ok');
  expect((await runner.runFiles({ 'solution.c': ORDINARY, 'scratch.c': 'int main(void) { return 0; }\n' }, exercise.headers)).status).toBe('ok');
  expect((await runner.run(await sandboxFile('escape_fuel.c'))).status).toBe('timeout');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  baselineThreads = threadCount();
});
afterAll(() => runner.close());

/**
 * Once a verdict is out: within 1 s the threads are back to the baseline, then a whole second of
 * idle CPU, and the sandbox has all its workers again. The runtime may start up to two more idle
 * threads on its own, once (a pool that grows on demand): a leak adds two per stopped run, so
 * 50 spinning grades below still show one.
 */
const THREAD_SLACK = 2;
async function expectNothingLeftRunning(): Promise<void> {
  expect(await settleThreads(baselineThreads + THREAD_SLACK, 1_000)).toBeLessThanOrEqual(baselineThreads + THREAD_SLACK);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  // A guest still spinning would use a whole core (~1,000 ms); housekeeping (GC, timers) stays far below.
  expect(await cpuMsOver(1_000)).toBeLessThan(250);
  expect(threadCount()).toBeLessThanOrEqual(baselineThreads + THREAD_SLACK);
  expect(runner.stats().sandboxWorkers).toBe(2);
}

describe('a program that never stops', () => {
  it('in a function the tests call: every case times out on its budget, then nothing runs', async () => {
    const graded = await runner.grade(exercise, sumWith(SPIN));
    expect(graded.cases.map((c) => c.status)).toEqual(exercise.cases.map(() => 'timeout'));
    await expectNothingLeftRunning();
  });

  it('in a constructor, before main: times out, then nothing runs', async () => {
    const source = `${ORDINARY}\n__attribute__((constructor)) static void early(void) {\n  ${SPIN}\n}\n`;
    const graded = await runner.grade(exercise, source);
    expect(graded.cases.map((c) => c.status)).toEqual(exercise.cases.map(() => 'timeout'));
    await expectNothingLeftRunning();
  });

  it('in a console run (several files, typed stdin): times out with what it printed, then nothing runs', async () => {
    const scratch = '#include <stdio.h>\n#include "sum.h"\nint main(void) {\n  int v[] = {1};\n  printf("before %lld\\n", sum(v, 1));\n  fflush(stdout);\n  for (;;) {}\n}\n';
    const result = await runner.runFiles({ 'solution.c': ORDINARY, 'scratch.c': scratch }, exercise.headers, { stdin: '' });
    expect(result.status).toBe('timeout');
    expect(result.stdout).toBe('before 1\n');
    await expectNothingLeftRunning();
  });

  it("spin_in_constructor.c (a reserved priority, before the runner's own): its budget still stops it", async () => {
    const terminations = runner.stats().sandboxTerminations;
    const result = await runner.run(await sandboxFile('spin_in_constructor.c'));
    expect(result.status).toBe('timeout');
    expect(runner.stats().sandboxTerminations).toBe(terminations);
    await expectNothingLeftRunning();
  });

  it('escape_fuel.c as a test-case body: its grade confirms the wall-clock timeout once, then nothing runs', async () => {
    const terminations = runner.stats().sandboxTerminations;
    const source = `${ORDINARY}\n${(await sandboxFile('escape_fuel.c')).replace('int main(void) {\n  spin();\n}', '__attribute__((constructor)) static void early(void) { spin(); }')}`;
    const graded = await runner.grade(exercise, source);
    expect(graded.cases.map((c) => c.status)).toEqual(exercise.cases.map(() => 'timeout'));
    // Every case at the wall clock, one of them run a second time, which timed out too: the rest stand.
    expect(runner.stats().sandboxTerminations).toBe(terminations + exercise.cases.length + 1);
    await expectNothingLeftRunning();
  });

  for (const file of ['escape_fuel.c', 'wasm_asm_loop.c']) {
    it(`${file}: stopped at the wall clock (its worker terminated), then nothing runs`, async () => {
      const terminations = runner.stats().sandboxTerminations;
      const result = await runner.run(await sandboxFile(file));
      expect(result.status).toBe('timeout');
      // A stand-alone run's wall-clock timeout is not run again (no verdict depends on it).
      expect(runner.stats().sandboxTerminations).toBe(terminations + 1);
      await expectNothingLeftRunning();
    });
  }

  it('50 spinning grades in a row leave the next ordinary grade as fast as before them', async () => {
    const timeOrdinary = async (round: number) => {
      // A new line each time: the grade cache would otherwise answer without running anything.
      const started = performance.now();
      const graded = await runner.grade(exercise, `${ORDINARY}// ${round}\n`);
      expect(graded.passed).toBe(exercise.cases.length);
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const before = median([await timeOrdinary(1), await timeOrdinary(2), await timeOrdinary(3)]);
    for (let round = 0; round < 50; round++) {
      const graded = await runner.grade(exercise, `${sumWith(SPIN)}// ${round}\n`);
      expect(graded.cases.every((c) => c.status === 'timeout')).toBe(true);
    }
    await expectNothingLeftRunning();
    const after = median([await timeOrdinary(4), await timeOrdinary(5), await timeOrdinary(6)]);
    // Not a speed target (those are in the bench): a leftover spinning thread doubles it at least.
    expect(after).toBeLessThan(before * 1.5 + 100);
  }, 240_000);
});
