// The loader validates every exercise file and names the file and field of any error.
import { cp, mkdtemp, rm, writeFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXERCISES_DIR, loadExercise, loadExercises, toPublicExercise } from '../../../server/src/exercises/load.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');
let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'exercises-'));
  dir = path.join(root, 'sum-array');
  await cp(FIXTURE, dir, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('loading exercises', () => {
  it('loads the fixture with its cases, headers and wrong solutions', async () => {
    const exercise = await loadExercise(dir);
    expect(exercise).toMatchObject({ slug: 'sum-array', title: 'Sum an array', summary: 'Sum the integers of each input line.', minutes: 10, difficulty: 'easy', isDefault: true });
    expect(exercise.cases[1]).toEqual({ name: 'three rows', visible: true, input: '1 2 3\n4 5\n6\n' });
    expect(Object.keys(exercise.headers)).toEqual(['sum.h']);
    expect(Object.keys(exercise.wrong)).toEqual(['int_total.c', 'positive_only.c', 'skips_last.c']);
  });

  it('loads the shipped exercises with exactly one default', async () => {
    const catalog = await loadExercises(EXERCISES_DIR);
    for (const exercise of catalog.list()) expect(exercise.guide, `${exercise.slug}/GUIDE.md`).not.toBeNull();
    expect(catalog.list().map((e) => e.slug)).toEqual([
      'block-copy', 'config-parser', 'hex-dump', 'lru-cache', 'mem-search', 'page-frame-allocator', 'ring-buffer', 'virtio-ring',
    ]);
    expect(catalog.defaultExercise.slug).toBe('ring-buffer');
    // A fair 30 minutes, or an honest 45 that the statement says so.
    for (const exercise of catalog.list()) {
      expect([30, 45]).toContain(exercise.minutes);
      if (exercise.minutes === 45) expect(exercise.statement).toMatch(/45 minutes/);
      expect(exercise.statement).toMatch(/stderr/); // says where debugging output may go
    }
  });

  it('names the file and field of a bad metadata value', async () => {
    await writeFile(path.join(dir, 'exercise.json'), JSON.stringify({ title: 'X', summary: 'S', minutes: 'thirty', difficulty: 'easy', tags: [] }));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: minutes: .*number/);
  });

  it('rejects unknown metadata fields and invalid JSON', async () => {
    await writeFile(path.join(dir, 'exercise.json'), JSON.stringify({ title: 'X', summary: 'S', minutes: 30, difficulty: 'easy', tags: [], colour: 'red' }));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: .*colour/);
    await writeFile(path.join(dir, 'exercise.json'), '{ "title": ');
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: invalid JSON/);
  });

  it('names the case of a bad test case', async () => {
    await writeFile(path.join(dir, 'tests', 'cases.json'), JSON.stringify({ cases: [{ name: 'a', visible: true, input: 'x' }, { name: 'b', visible: 'no', input: 'y' }] }));
    await expect(loadExercise(dir)).rejects.toThrow(/cases\.json: cases\.1\.visible/);
  });

  it('rejects duplicate case names and all-visible case sets', async () => {
    await writeFile(path.join(dir, 'tests', 'cases.json'), JSON.stringify({ cases: [{ name: 'a', visible: true, input: '' }, { name: 'a', visible: false, input: '' }] }));
    await expect(loadExercise(dir)).rejects.toThrow(/cases\.1\.name: "a" is used twice/);
    await writeFile(path.join(dir, 'tests', 'cases.json'), JSON.stringify({ cases: [{ name: 'a', visible: true, input: '' }] }));
    await expect(loadExercise(dir)).rejects.toThrow(/at least one case must be hidden/);
  });

  it('names a missing file', async () => {
    await unlink(path.join(dir, 'solution.c'));
    await expect(loadExercise(dir)).rejects.toThrow(/solution\.c: missing or unreadable/);
  });

  it("loads the interviewer's guide and checks its sections", async () => {
    expect((await loadExercise(dir)).guide).toMatch(/## Common mistakes/);
    await writeFile(path.join(dir, 'GUIDE.md'), '# Guide\n\n## What to watch for\n\n- x\n\n## Follow-up questions\n\n- y\n');
    await expect(loadExercise(dir)).rejects.toThrow(/GUIDE\.md: missing the section "## Common mistakes"/);
    await writeFile(path.join(dir, 'GUIDE.md'), '## What to watch for\n\n## Follow-up questions\n- y\n## Common mistakes\n- z\n');
    await expect(loadExercise(dir)).rejects.toThrow(/GUIDE\.md: the section "## What to watch for" is empty/);
    await writeFile(path.join(dir, 'GUIDE.md'), '  \n');
    await expect(loadExercise(dir)).rejects.toThrow(/GUIDE\.md: the guide is empty/);
    await unlink(path.join(dir, 'GUIDE.md'));
    expect((await loadExercise(dir)).guide).toBeNull(); // optional to load; exercises:check requires it
  });

  it('requires exactly one default exercise', async () => {
    await cp(dir, path.join(root, 'sum-array-two'), { recursive: true });
    await expect(loadExercises(root)).rejects.toThrow(/exactly one exercise must have "default": true in exercise\.json \(found 2\)/);
  });

  it('keeps the reference solution, driver and hidden inputs out of the public view', async () => {
    const exercise = await loadExercise(dir);
    const view = toPublicExercise(exercise);
    const text = JSON.stringify(view);
    expect(view).toMatchObject({ slug: 'sum-array', visibleCases: 2, hiddenCases: 2 });
    expect(text).not.toContain('total += values[i]'); // the reference's body
    expect(text).not.toContain('2147483647'); // a hidden input
    expect(text).not.toContain('strtol'); // the driver
    expect(exercise.guide).toContain('Follow-up questions');
    expect(text).not.toContain('Follow-up questions'); // the interviewer's guide
  });
});
