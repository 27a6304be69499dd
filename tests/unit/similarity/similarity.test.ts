// The similarity check tells a disguised copy from independent work (issue 21). The fixtures in
// tests/fixtures/similarity/<slug>/ are: copy-*.c, the reference renamed, reordered and
// reformatted by hand; indep-*.c, correct solutions written independently in different styles
// (each passes `npm run cli -- grade SLUG FILE`). Besides the hand-made copies, each reference is
// also disguised mechanically (tests/support/disguise.ts) with all three edits at once.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import { EXERCISES_DIR } from '../../../server/src/exercises/load.ts';
import { SIMILARITY_THRESHOLD, compare, exerciseBaseline, fingerprint, score, tokenize } from '../../../server/src/similarity/index.ts';
import { disguise, functionSizes, publicNames } from '../../support/disguise.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/similarity');
const SLUGS = readdirSync(FIXTURES);

describe('tokenize', () => {
  it('ignores comments, layout and names, keeps structure', async () => {
    const a = await tokenize('int f(int x) { /* why */ return x + 1; }');
    const b = await tokenize('int\ngive(int value)\n{\n  // changed\n  return value + 2;\n}\n');
    expect(a.map((t) => t.text)).toEqual(b.map((t) => t.text));
    expect(b.map((t) => t.text)).toEqual(['int', 'I', '(', 'int', 'I', ')', '{', 'return', 'I', '+', 'N', ';', '}']);
    expect(b.find((t) => t.text === 'return')?.line).toBe(5);
    const c = await tokenize('int f(int x) { return x - 1; }');
    expect(c.map((t) => t.text)).not.toEqual(a.map((t) => t.text));
  });

  it('reads a one-statement body the same with or without braces, and keeps braces that matter', async () => {
    const text = async (source: string) => (await tokenize(source)).map((t) => t.text).join(' ');
    const bare = 'void f(int n) { for (int i = 0; i < n; i++) if (i) g(i); else h(); while (n) n--; do n++; while (n < 3); }';
    const braced = 'void f(int n) { for (int i = 0; i < n; i++) { if (i) { g(i); } else { /* none */ h(); } } while (n) { n--; } do { n++; } while (n < 3); }';
    expect(await text(braced)).toBe(await text(bare));
    expect(await text('void f(void) { if (a) { x(); y(); } }')).not.toBe(await text('void f(void) { if (a) x(); y(); }'));
    expect(await text('void f(void) { if (a) { int v = 1; } }')).toContain('{ int I = N ; }');
  });
});

it('has fixtures for every exercise', () => {
  expect(SLUGS.sort()).toEqual(readdirSync(EXERCISES_DIR).sort());
});

describe.each(SLUGS)('similarity on %s', async (slug) => {
  const exercise = await loadExercise(path.join(EXERCISES_DIR, slug));
  const base = await exerciseBaseline(exercise);
  const files = Object.fromEntries(readdirSync(path.join(FIXTURES, slug)).map((f) => [f, readFileSync(path.join(FIXTURES, slug, f), 'utf8')]));
  const copies = Object.keys(files).filter((f) => f.startsWith('copy-'));
  const independent = Object.keys(files).filter((f) => f.startsWith('indep-'));
  const print = (source: string) => fingerprint(source, base);

  it('has at least three independent solutions and one copy', () => {
    expect(independent.length).toBeGreaterThanOrEqual(3);
    expect(copies.length).toBeGreaterThanOrEqual(1);
  });

  it('flags a renamed, reordered, reformatted copy of the reference, with regions on both sides', async () => {
    const reference = await print(exercise.solution);
    for (const copy of copies) {
      const result = compare(reference, await print(files[copy]!));
      expect(result.score, copy).toBeGreaterThan(SIMILARITY_THRESHOLD);
      expect(result.regions.length).toBeGreaterThan(0);
      const lines = { a: exercise.solution.split('\n').length, b: files[copy]!.split('\n').length };
      for (const region of result.regions) {
        expect(region.a.start).toBeGreaterThanOrEqual(1);
        expect(region.a.end).toBeLessThanOrEqual(lines.a);
        expect(region.b.start).toBeLessThanOrEqual(region.b.end);
        expect(region.b.end).toBeLessThanOrEqual(lines.b);
      }
    }
  });

  it('flags the reference with its names renamed, functions reversed and layout rewritten, all at once', async () => {
    const keep = new Set<string>();
    for (const text of [exercise.starter, ...Object.values(exercise.headers)]) for (const name of await publicNames(text)) keep.add(name);
    const copy = await disguise(exercise.solution, keep);
    // The disguise did change the text: other names, another layout, functions in reverse order.
    expect(copy).toMatch(/\bq0_\d+\b/);
    expect(copy).not.toContain(exercise.solution.split('\n').find((l) => l.trim().length > 20 && !l.startsWith('#'))!);
    expect(await functionSizes(copy)).toEqual((await functionSizes(exercise.solution)).reverse());
    const result = compare(await print(exercise.solution), await print(copy));
    expect(result.score).toBeGreaterThan(SIMILARITY_THRESHOLD);
  });

  // Measured on ring-buffer: a statement before each of the first 3 returns keeps the copy at
  // 0.91, before 5 at 0.85; before all 18 (75 lines of short functions) it falls to 0.47.
  it('still flags a copy with a statement added in three places', async () => {
    const reference = await print(exercise.solution);
    for (const copy of copies) {
      let edits = 0;
      const padded = files[copy]!.replace(/return /g, (m) => (++edits <= 3 ? 'if (0) puts("x");\n  return ' : m));
      expect(compare(reference, await print(padded)).score, copy).toBeGreaterThan(SIMILARITY_THRESHOLD);
    }
  });

  it('scores the reference with its comments removed and its layout flattened as identical', async () => {
    // Each preprocessor line keeps its own line (a #define would otherwise swallow the rest).
    const lines = exercise.solution
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .split('\n');
    const flattened = lines.map((l) => (l.trimStart().startsWith('#') ? `\n${l}\n` : l.replace(/\s+/g, ' '))).join(' ');
    expect(compare(await print(exercise.solution), await print(flattened)).score).toBe(1);
  });

  it('keeps independent solutions below the threshold, pairwise and against the reference', async () => {
    const sources = [exercise.solution, ...independent.map((f) => files[f]!)];
    const prints = await Promise.all(sources.map(print));
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++) {
        const result = compare(prints[i]!, prints[j]!);
        expect(result.score, `${i} vs ${j}`).toBeLessThan(SIMILARITY_THRESHOLD);
      }
    }
  });

  it('does not flag starter-only code against anything', async () => {
    const starter = await print(exercise.starter);
    expect(starter).toEqual([]);
    for (const source of [exercise.solution, exercise.starter, ...Object.values(files)]) {
      expect(compare(starter, await print(source)).score).toBe(0);
    }
  });

  it('score() over hash sets agrees with compare()', async () => {
    const a = await print(exercise.solution);
    const b = await print(files[copies[0]!]!);
    expect(score(new Set(a.map((p) => p.hash)), new Set(b.map((p) => p.hash)))).toBe(compare(a, b).score);
  });
});
