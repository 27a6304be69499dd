// Mutation testing: the generator makes the expected one-edit mutants of small C snippets, and a
// run over the fixture exercise sorts them into killed, survived and equivalent.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../../server/src/exercises/load.ts';
import { generateMutants, parsesCleanly, type Mutant, type MutantOperator } from '../../../server/src/exercises/mutants-generate.ts';
import { MUTANT_LIMITS, ObjectComparer, testMutants } from '../../../server/src/exercises/mutants.ts';
import { createRunner } from '../../../server/src/runner/index.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/exercises/sum-array');

/** The mutated text of each mutant of `operator`, as the line it changed. */
async function mutatedLines(source: string, operator: MutantOperator): Promise<string[]> {
  const mutants = await generateMutants(source);
  return mutants.filter((m) => m.operator === operator).map((m) => m.source.split('\n')[m.line - 1]!.trim());
}

describe('generateMutants', () => {
  it('swaps a comparison for the sufficient set: two operators and a constant truth value', async () => {
    expect(await mutatedLines('int f(int a, int b) { return a < b; }', 'relational')).toEqual([
      'int f(int a, int b) { return 0; }',
      'int f(int a, int b) { return a <= b; }',
      'int f(int a, int b) { return a != b; }',
    ]);
    expect(await mutatedLines('int f(int a) {\nreturn a != 3;\n}', 'relational')).toEqual(['return 1;', 'return a < 3;', 'return a > 3;']);
  });

  it('moves computed bounds by one, with parentheses where precedence needs them', async () => {
    const source = 'int f(int n, int m) {\nint s = 0;\nfor (int i = 0; i < n; i++) s++;\nreturn s >= n << m;\n}';
    expect(await mutatedLines(source, 'bound')).toEqual([
      'for (int i = 0; i < n + 1; i++) s++;',
      'for (int i = 0; i < n - 1; i++) s++;',
      'return s >= (n << m) + 1;',
      'return s >= (n << m) - 1;',
    ]);
  });

  it('moves integer literals by one in their own base and suffix, and leaves floats alone', async () => {
    expect(await mutatedLines('unsigned f(void) { return 0x1Fu; }', 'constant')).toEqual([
      'unsigned f(void) { return 0x20u; }',
      'unsigned f(void) { return 0x1eu; }',
    ]);
    expect(await mutatedLines('long g(void) { return 0L; }', 'constant')).toEqual(['long g(void) { return 1L; }', 'long g(void) { return -1L; }']);
    expect(await mutatedLines('double h(void) { return 1.5; }', 'constant')).toEqual([]);
  });

  it('replaces conditions: if and ?: by 1 and 0, loops only by 0 (an endless loop costs a timeout per case)', async () => {
    const source = 'void g(void);\nvoid f(int x) {\nif (x > 2) g();\nwhile (x) x--;\nx = x ? 1 : 2;\n}';
    const conditions = (await generateMutants(source)).filter((m) => m.operator === 'condition').map((m) => m.replacement);
    expect(conditions).toEqual(['(1)', '(0)', '(0)', '1', '0']);
  });

  it('removes statements but keeps the final return and the line count', async () => {
    const source = 'int f(int *p) {\nif (!p) return -1;\n*p = 1 +\n  2;\nreturn 0;\n}';
    const removed = (await generateMutants(source)).filter((m) => m.operator === 'statement');
    expect(removed.map((m) => m.id)).toEqual(['statement:2:return -1;->;', 'statement:3:*p = 1 + 2;->;']);
    for (const mutant of removed) expect(mutant.source.split('\n').length).toBe(source.split('\n').length);
  });

  it('swaps logical, arithmetic and bitwise operators and drops a negation', async () => {
    const source = 'unsigned f(unsigned a, unsigned b) {\nif (!(a && b)) a += b * 2;\na++;\nreturn a | (b << 1);\n}';
    const mutants = await generateMutants(source);
    const ids = (operator: MutantOperator) => mutants.filter((m) => m.operator === operator).map((m) => m.id);
    expect(ids('logical')).toEqual(['logical:2:a && b->a || b']);
    expect(ids('negation')).toEqual(['negation:2:!(a && b)->(a && b)']);
    expect(ids('arithmetic')).toEqual(['arithmetic:2:a += b * 2->a -= b * 2', 'arithmetic:2:b * 2->b / 2', 'arithmetic:3:a++->a--']);
    expect(ids('bitwise')).toEqual(['bitwise:4:a | (b << 1)->a & (b << 1)', 'bitwise:4:b << 1->b >> 1']);
  });

  it('narrows declared and cast integer types, but not prototypes', async () => {
    const source = '#include <stdint.h>\nuint64_t g(uint64_t v);\nint f(unsigned long long x) {\nuint64_t y = (int64_t)x;\nreturn (int)y;\n}';
    expect(await mutatedLines(source, 'width')).toEqual(['uint32_t y = (int64_t)x;', 'uint64_t y = (int32_t)x;', 'return (short)y;']);
  });

  it('makes only mutants that parse, with unique ids and no two alike', async () => {
    const source = await readFile(path.join(FIXTURE, 'solution.c'), 'utf8');
    const mutants: Mutant[] = await generateMutants(source);
    expect(mutants.length).toBe(13);
    for (const mutant of mutants) {
      expect(await parsesCleanly(mutant.source)).toBe(true);
      expect(mutant.source).not.toBe(source);
      expect(source.slice(0, mutant.start) + mutant.replacement + source.slice(mutant.end)).toBe(mutant.source);
    }
    expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
    expect(new Set(mutants.map((m) => m.source)).size).toBe(mutants.length);
    // `for (...; i < count; ...)` with the comparison made 0 is the same file as the loop condition
    // made 0: only one of them is kept.
    expect(mutants.filter((m) => m.source.includes('; 0;'))).toHaveLength(1);
    // Same operator, same line, same text: told apart by #n.
    const twice = await generateMutants('int f(int a) { return (a < 1) + (a < 1); }');
    expect(twice.map((m) => m.id)).toContain('relational:1:a < 1->a <= 1#2');
  });
});

describe('testMutants', () => {
  let root: string | undefined;
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('grades every mutant of the fixture: killed, survived with a diff, proven and acknowledged equivalents', async () => {
    // A copy of the fixture without the two cases that catch reading one element too many.
    root = await mkdtemp(path.join(os.tmpdir(), 'mutants-'));
    const dir = path.join(root, 'sum-array');
    await cp(FIXTURE, dir, { recursive: true });
    const casesFile = path.join(dir, 'tests', 'cases.json');
    const cases = JSON.parse(await readFile(casesFile, 'utf8')) as { cases: Array<{ name: string }> };
    cases.cases = cases.cases.filter((c) => c.name !== 'three rows' && c.name !== 'negatives');
    await writeFile(casesFile, JSON.stringify(cases));
    await writeFile(path.join(dir, 'mutants.json'), JSON.stringify({
      equivalent: [
        { id: 'relational:4:i < count->i <= count', reason: 'acknowledged for this test only' },
        { id: 'constant:3:0->1', reason: 'wrong on purpose: the tests kill it' },
        { id: 'statement:9:gone;->;', reason: 'matches nothing on purpose' },
      ],
    }));

    const runner = createRunner({ limits: MUTANT_LIMITS });
    const comparer = new ObjectComparer();
    try {
      const report = await testMutants(runner, await loadExercise(dir), { comparer });
      const status = (id: string) => report.mutants.find((m) => m.id === id)?.status;
      expect(report).toMatchObject({ exercise: 'sum-array', generated: 13, invalid: 0, killed: 10, survived: 1, equivalent: 2, minScore: 0.9 });
      expect(report.score).toBeCloseTo(10 / 11);
      expect(report.ok).toBe(true);
      expect(status('relational:4:i < count->i != count')).toBe('equivalent'); // same object code
      expect(status('relational:4:i < count->i <= count')).toBe('equivalent'); // listed
      expect(status('constant:3:0->1')).toBe('killed');
      const survivor = report.mutants.find((m) => m.status === 'survived')!;
      expect(survivor.id).toBe('bound:4:i < count->i < count + 1');
      expect(survivor.diff).toContain('-  for (size_t i = 0; i < count; i++) total += values[i];');
      expect(survivor.diff).toContain('+  for (size_t i = 0; i < count + 1; i++) total += values[i];');
      // The kill's warning says which cases failed and how ("name (status)", comma-separated).
      const killedCases = report.mutants.find((m) => m.id === 'constant:3:0->1')!.detail;
      expect(killedCases).toMatch(/^[^()]+ \((fail|runtime_error)\)(, [^()]+ \((fail|runtime_error)\))*$/);
      expect(report.warnings).toEqual([
        `mutants.json: "constant:3:0->1" is listed as equivalent but the tests kill it: ${killedCases}`,
        'mutants.json: "statement:9:gone;->;" matches no mutant (did solution.c change?)',
      ]);
    } finally {
      await Promise.all([runner.close(), comparer.close()]);
    }
  }, 600_000); // about 20 s on an idle machine
});
