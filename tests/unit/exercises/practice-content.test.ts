// What practice adds to an exercise folder: up to three hints (exercise.json) and a one-line
// explanation per hidden case (tests/cases.json `explain`). The loader validates their shape;
// exercises:check requires an explanation for every hidden case, one that does not quote its input.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explanationProblems } from '../../../server/src/exercises/check.ts';
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

async function editJson(relative: string, edit: (data: any) => void): Promise<void> {
  const file = path.join(dir, relative);
  const data = JSON.parse(await readFile(file, 'utf8'));
  edit(data);
  await writeFile(file, JSON.stringify(data));
}

describe('hints in exercise.json', () => {
  it('loads up to three hints, trimmed, and tells the public view only how many there are', async () => {
    await editJson('exercise.json', (d) => (d.hints = ['  Add into a wider type.  ', 'Mind the sign.', 'Read every line.']));
    const exercise = await loadExercise(dir);
    expect(exercise.hints).toEqual(['Add into a wider type.', 'Mind the sign.', 'Read every line.']);
    const view = toPublicExercise(exercise);
    expect(view.hints).toBe(3);
    expect(JSON.stringify(view)).not.toContain('wider type');
  });

  it('has no hints when the field is absent', async () => {
    const exercise = await loadExercise(dir);
    expect(exercise.hints).toEqual([]);
    expect(toPublicExercise(exercise).hints).toBe(0);
  });

  it('refuses a fourth hint, an empty one, an overlong one and a non-string, naming the field', async () => {
    await editJson('exercise.json', (d) => (d.hints = ['a', 'b', 'c', 'd']));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: hints: .*(3|too big)/i);
    await editJson('exercise.json', (d) => (d.hints = ['a', '   ']));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: hints\.1/);
    await editJson('exercise.json', (d) => (d.hints = ['x'.repeat(401)]));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: hints\.0/);
    await editJson('exercise.json', (d) => (d.hints = [42]));
    await expect(loadExercise(dir)).rejects.toThrow(/exercise\.json: hints\.0/);
  });
});

describe('explanations in tests/cases.json', () => {
  it('loads an explanation per case, and none where the case has none', async () => {
    const exercise = await loadExercise(dir);
    expect(exercise.cases.find((c) => c.name === 'large')?.explain).toBe('A sum beyond INT_MAX needs a wider total than int.');
    expect(exercise.cases.find((c) => c.name === 'small')).not.toHaveProperty('explain');
    expect(explanationProblems(exercise)).toEqual([]);
  });

  it('refuses an empty, overlong or non-string explanation, naming the case', async () => {
    await editJson('tests/cases.json', (d) => (d.cases[2].explain = ' '));
    await expect(loadExercise(dir)).rejects.toThrow(/cases\.json: cases\.2\.explain/);
    await editJson('tests/cases.json', (d) => (d.cases[2].explain = 'x'.repeat(201)));
    await expect(loadExercise(dir)).rejects.toThrow(/cases\.json: cases\.2\.explain/);
    await editJson('tests/cases.json', (d) => {
      d.cases[2].explain = 'Negatives.';
      d.cases[3].explain = ['a line'];
    });
    await expect(loadExercise(dir)).rejects.toThrow(/cases\.json: cases\.3\.explain/);
  });

  it('exercises:check requires one for every hidden case, and one that does not quote the input', async () => {
    await editJson('tests/cases.json', (d) => delete d.cases[2].explain);
    expect(explanationProblems(await loadExercise(dir))).toEqual(['"negatives" has no explanation']);
    await editJson('tests/cases.json', (d) => {
      d.cases[2].explain = 'Negatives.';
      d.cases[3].explain = 'Three times 2147483647 2147483647 2147483647 overflows int.';
    });
    expect(explanationProblems(await loadExercise(dir))).toEqual(['"large": the explanation quotes its input ("2147483647 2147483647 2147483647")']);
  });

  it('a visible case needs none', async () => {
    await editJson('tests/cases.json', (d) => delete d.cases[0].explain);
    expect(explanationProblems(await loadExercise(dir))).toEqual([]);
  });
});

describe('the shipped exercises', () => {
  it('each has one to three hints and explains every hidden case without quoting it', async () => {
    const catalog = await loadExercises(EXERCISES_DIR);
    for (const exercise of catalog.list()) {
      expect(exercise.hints.length, exercise.slug).toBeGreaterThanOrEqual(1);
      expect(exercise.hints.length, exercise.slug).toBeLessThanOrEqual(3);
      expect(explanationProblems(exercise), exercise.slug).toEqual([]);
    }
  });
});
