// exercises:check must catch tests that do not bite.
import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExercise } from '../../../server/src/exercises/check.ts';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');
let runner: Runner;
let root: string;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1 } });
  root = await mkdtemp(path.join(os.tmpdir(), 'check-'));
  await runner.ready();
});
afterAll(async () => {
  await runner.close();
  await rm(root, { recursive: true, force: true });
});

describe('checkExercise', () => {
  it('accepts an exercise whose tests bite', async () => {
    const findings = await checkExercise(runner, await loadExercise(FIXTURE));
    expect(findings.filter((f) => !f.ok)).toEqual([]);
    expect(findings.map((f) => f.subject)).toEqual(['solution.c', 'starter.c', 'GUIDE.md', 'wrong/int_total.c', 'wrong/positive_only.c', 'wrong/skips_last.c']);
  });

  it('flags a wrong solution that passes every hidden case, and a starter that passes', async () => {
    const dir = path.join(root, 'sum-array');
    await cp(FIXTURE, dir, { recursive: true });
    const solution = await loadExercise(dir).then((e) => e.solution);
    await writeFile(path.join(dir, 'wrong', 'not_wrong.c'), solution);
    await writeFile(path.join(dir, 'starter.c'), solution);
    await unlink(path.join(dir, 'GUIDE.md'));
    const findings = await checkExercise(runner, await loadExercise(dir));
    const failed = findings.filter((f) => !f.ok).map((f) => f.subject);
    expect(failed).toEqual(['starter.c', 'GUIDE.md', 'wrong/not_wrong.c']);
  });
});
