// A grade's cases run two at a time, the reference's slowest first: each still in a fresh
// instance of its own, the outcomes in case order, whatever order they start and finish in.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import { GradeCache, ProgramCache, programKey } from '../../../server/src/runner/core/cache.ts';
import { CompilerPool } from '../../../server/src/runner/compiler.ts';
import { ReferenceCache, gradeSource } from '../../../server/src/runner/core/grade.ts';
import { resolveLimits } from '../../../server/src/runner/limits.ts';
import { ObjectCache, build, shimObject, type Program } from '../../../server/src/runner/core/program.ts';
import { longestFirst } from '../../../server/src/runner/core/lanes.ts';
import type { ProgramOutcome } from '../../../server/src/runner/core/ports.ts';
import { sha256Hex } from '../../../server/src/runner/hash.ts';
import { Sandbox } from '../../../server/src/runner/sandbox.ts';

// Counts its own runs (a fresh instance always says 1); the input "slow" spins for a while first.
const PROGRAM = `#include <stdio.h>
#include <string.h>
static int runs;
int main(void) {
  char word[16] = "";
  if (scanf("%15s", word) != 1) return 2;
  if (strcmp(word, "slow") == 0) {
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 40000000UL; i++) spin += i;
  }
  printf("%s run %d\\n", word, ++runs);
  return 0;
}
`;

const limits = resolveLimits({ concurrency: 1, runMs: 10_000 });
const pool = new CompilerPool(1, { info: () => {} }, {});
const sandbox = new Sandbox(2);
let program: Program;

beforeAll(async () => {
  const built = await pool.use(async (compiler) => build(compiler, limits, PROGRAM, await shimObject(new ObjectCache(sha256Hex), compiler, limits)));
  if (built.kind !== 'built') throw new Error(`the test program does not build: ${built.output}`);
  program = built.program;
});
afterAll(async () => {
  await Promise.all([pool.close(), sandbox.close()]);
});

async function runInLanes(inputs: string[], caseLanes: number, order?: number[]): Promise<{ outcomes: ProgramOutcome[]; finished: string[] }> {
  const finished: string[] = [];
  const outcomes = await sandbox.runAll(
    program,
    inputs.map((stdin) => ({ stdin })),
    { ...limits, caseLanes },
    (outcome) => finished.push(outcome.stdout.trim()),
    order,
  );
  return { outcomes, finished };
}

describe('running the cases of a grade', () => {
  it('runs two cases at once, in fresh instances, and returns the outcomes in case order', async () => {
    const { outcomes, finished } = await runInLanes(['slow', 'a', 'b', 'slow', 'c'], 2);
    expect(outcomes.map((o) => [o.kind, o.exitCode, o.stdout])).toEqual([
      ['exited', 0, 'slow run 1\n'],
      ['exited', 0, 'a run 1\n'],
      ['exited', 0, 'b run 1\n'],
      ['exited', 0, 'slow run 1\n'],
      ['exited', 0, 'c run 1\n'],
    ]);
    // "a" started beside the first slow case and ended while it was still spinning.
    expect(finished.indexOf('a run 1')).toBeLessThan(finished.indexOf('slow run 1'));
  });

  it('runs them one after the other with one lane', async () => {
    const { outcomes, finished } = await runInLanes(['slow', 'a', 'b'], 1);
    expect(finished).toEqual(['slow run 1', 'a run 1', 'b run 1']);
    expect(outcomes.map((o) => o.stdout)).toEqual(['slow run 1\n', 'a run 1\n', 'b run 1\n']);
  });

  it('starts the cases in the order given (slowest first) and still returns them in case order', async () => {
    const order = longestFirst([2, 40, 2, 7]);
    expect(order).toEqual([1, 3, 0, 2]); // equal times keep their case order
    const { outcomes, finished } = await runInLanes(['a', 'slow', 'b', 'c'], 1, order);
    expect(finished).toEqual(['slow run 1', 'c run 1', 'a run 1', 'b run 1']);
    expect(outcomes.map((o) => o.stdout)).toEqual(['a run 1\n', 'slow run 1\n', 'b run 1\n', 'c run 1\n']);
  });

  it('refuses an order that misses or repeats a case', async () => {
    for (const order of [
      [0, 0, 1],
      [0, 1],
      [0, 1, 3],
    ]) {
      await expect(runInLanes(['a', 'b', 'c'], 2, order)).rejects.toThrow(/every input once/);
    }
  });

  it("is what a grade does, slowest of the reference's cases first", async () => {
    // The real sandbox, noting the order each runAll is given.
    class NotingSandbox extends Sandbox {
      readonly orders: Array<readonly number[] | undefined> = [];
      override runAll(...args: Parameters<Sandbox['runAll']>): ReturnType<Sandbox['runAll']> {
        this.orders.push(args[4]);
        return super.runAll(...args);
      }
    }
    const noting = new NotingSandbox();
    try {
      const exercise = await loadExercise(path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array'));
      const graded = await pool.use(async (compiler) => {
        const context = {
          compiler,
          sandbox: noting,
          limits,
          references: new ReferenceCache(sha256Hex),
          objects: new ObjectCache(sha256Hex),
          programs: new ProgramCache(),
          grades: new GradeCache(),
        };
        const result = await gradeSource(context, exercise, exercise.solution, programKey(sha256Hex, exercise.solution, exercise, limits));
        return { result, expected: await context.references.get(context, exercise) };
      });
      expect(graded.result.passed).toBe(exercise.cases.length);
      expect(graded.result.cases.map((c) => c.name)).toEqual(exercise.cases.map((c) => c.name));
      // First the reference (in case order), then the grade, in the order of the reference's times.
      expect(noting.orders).toEqual([undefined, longestFirst(graded.expected.map((e) => e.ms))]);
    } finally {
      await noting.close();
    }
  });
});
