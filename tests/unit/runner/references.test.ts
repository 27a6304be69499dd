// Expected outputs are prepared once per exercise content and kept in the store: a second runner on
// the same store (a restart, another node) neither compiles nor runs the reference again, and a
// damaged stored copy is never trusted but computed and stored anew.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import type { Exercise } from '../../../server/src/exercises/types.ts';
import { createRunner, type LocalRunner, type RunnerStats } from '../../../server/src/runner/index.ts';
import { MemoryStore } from '../../../server/src/store/memory.ts';
import { storedReferences } from '../../../server/src/store/reference-outputs.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');
const LIMITS = { concurrency: 1, runMs: 2_000 };
let exercise: Exercise;
beforeAll(async () => {
  exercise = await loadExercise(FIXTURE);
});

/** A runner on `store` for the length of `use`, with what it logged. */
async function withRunner<T>(store: MemoryStore, use: (runner: LocalRunner, logged: string[]) => Promise<T>): Promise<T> {
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(`info: ${m}`), warn: (m: string) => logged.push(`warn: ${m}`) };
  const runner = createRunner({ limits: LIMITS, log, references: storedReferences(store) });
  try {
    await runner.ready();
    return await use(runner, logged);
  } finally {
    await runner.close();
  }
}

/** Compiles and sandbox runs made while `work` runs. */
async function counting<T>(runner: LocalRunner, work: () => Promise<T>): Promise<{ value: T; compiles: number; sandboxRuns: number }> {
  const before: RunnerStats = runner.stats();
  const value = await work();
  const after = runner.stats();
  return { value, compiles: after.compiles - before.compiles, sandboxRuns: after.sandboxRuns - before.sandboxRuns };
}

describe('stored expected outputs', () => {
  // One store for both tests, in order: the second damages what the first stored (a runner fewer).
  const store = new MemoryStore();

  it('a second runner on the same store prepares the exercise without compiling or running the reference', async () => {
    const first = await withRunner(store, (runner) => counting(runner, () => runner.warm([exercise])));
    expect(first.value).toEqual({ ready: ['sum-array'], failed: [] });
    expect(first.sandboxRuns).toBeGreaterThanOrEqual(exercise.cases.length);
    expect(store.referenceRows.size).toBe(1);
    const [key, row] = [...store.referenceRows][0]!;
    expect(row.slug).toBe('sum-array');
    expect(await store.getReferenceOutputs(key)).toHaveLength(exercise.cases.length);

    await withRunner(store, async (runner, logged) => {
      const second = await counting(runner, () => runner.warm([exercise]));
      expect(second.value).toEqual({ ready: ['sum-array'], failed: [] });
      // The driver and the shim are compiled as before; the reference is neither compiled nor run.
      expect(second.compiles).toBe(first.compiles - 1);
      expect(second.sandboxRuns).toBe(0);
      expect(logged).toContainEqual(expect.stringMatching(/^info: exercise sum-array ready in \d+ ms \(expected outputs stored\)$/));
      // Grades compare with the stored outputs: the reference passes, a wrong solution fails.
      const graded = await counting(runner, () => runner.grade(exercise, exercise.solution));
      expect(graded.value).toMatchObject({ status: 'ok', passed: 4, total: 4 });
      expect(graded.compiles).toBe(1);
      expect((await runner.grade(exercise, exercise.wrong['skips_last.c']!)).passed).toBe(0);
    });
    expect(store.referenceRows.size).toBe(1);
  });

  it('ignores a damaged stored copy: the reference runs again and its outputs replace the copy', async () => {
    expect(store.referenceRows.size).toBe(1);
    const [key, row] = [...store.referenceRows][0]!;
    const good = await store.getReferenceOutputs(key);
    store.referenceRows.set(key, { ...row, payload: row.payload.replace('"fuel":', '"fuel":-') });

    await withRunner(store, async (runner, logged) => {
      const again = await counting(runner, () => runner.warm([exercise]));
      expect(again.value).toEqual({ ready: ['sum-array'], failed: [] });
      expect(again.sandboxRuns).toBeGreaterThanOrEqual(exercise.cases.length);
      expect(logged).toContainEqual(expect.stringMatching(/^info: exercise sum-array ready in \d+ ms$/));
    });
    const restored = await store.getReferenceOutputs(key);
    expect(restored?.map((e) => [e.stdout, e.exitCode, e.fuel])).toEqual(good?.map((e) => [e.stdout, e.exitCode, e.fuel]));
  });
});
