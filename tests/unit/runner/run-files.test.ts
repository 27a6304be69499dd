// runFiles: two files (a solution and a scratch main) compiled together with public headers and
// run once with stdin, the way the scratch console does it. Messages and faults name their file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercises } from '../../../server/src/exercises/load.ts';
import { createRunner, type Runner } from '../../../server/src/runner/index.ts';
import { TEST_EXERCISES_DIR } from '../../support/paths.ts';

let runner: Runner;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 5_000, compileMs: 60_000 } });
  await runner.ready();
});
afterAll(() => runner.close());

const headers = { 'calc.h': 'int twice(int x);\nint at(const int *p);\n' };
const solution = '#include "calc.h"\nint twice(int x) { return 2 * x; }\n\nint at(const int *p) {\n  return *p;\n}\n';

describe('runFiles', () => {
  it('links both files with the headers and feeds stdin to main', async () => {
    const scratch =
      '#include <stdio.h>\n#include "calc.h"\nint main(void) {\n  int x;\n  while (scanf("%d", &x) == 1) printf("%d\\n", twice(x));\n  fprintf(stderr, "done\\n");\n  return 3;\n}\n';
    const r = await runner.runFiles({ 'solution.c': solution, 'scratch.c': scratch }, headers, { stdin: '4 21\n' });
    expect(r).toMatchObject({ status: 'ok', exitCode: 3, stdout: '8\n42\n', stderr: 'done\n', diagnostics: [] });
  });

  it('names the file of each compiler message; a linker error goes to the file with main', async () => {
    const badSolution = '#include "calc.h"\nint twice(int x) {\n  return 2 * y;\n}\n';
    const r1 = await runner.runFiles({ 'solution.c': badSolution, 'scratch.c': 'int main(void) { return 0; }\n' }, headers);
    expect(r1.status).toBe('compile_error');
    expect(r1.diagnostics).toContainEqual(expect.objectContaining({ file: 'solution.c', line: 3, severity: 'error' }));
    expect(r1.diagnostics.every((d) => d.file === 'solution.c')).toBe(true);

    const r2 = await runner.runFiles({ 'solution.c': solution, 'scratch.c': '#include "calc.h"\nint main(void) {\n  return missing(1);\n}\n' }, headers);
    expect(r2.status).toBe('compile_error');
    expect(r2.diagnostics).toContainEqual(expect.objectContaining({ file: 'scratch.c', line: 3 }));
    expect(r2.diagnostics.filter((d) => d.message.startsWith('link error')).every((d) => d.file === 'scratch.c')).toBe(true);
  });

  it('places a fault in the file and line where it happened', async () => {
    const scratch = '#include <stddef.h>\n#include "calc.h"\nint main(void) {\n  return at(NULL);\n}\n';
    const r = await runner.runFiles({ 'solution.c': solution, 'scratch.c': scratch }, headers);
    expect(r.status).toBe('runtime_error');
    expect(r.fault).toMatchObject({ kind: 'null_dereference', file: 'solution.c', line: 5, function: 'at' });
  });

  it('refuses an oversized file or a name that is not a C file before compiling', async () => {
    const big = `int main(void) { return 0; }\n/*${'x'.repeat(runner.limits.sourceBytes)}*/\n`;
    const r = await runner.runFiles({ 'solution.c': solution, 'scratch.c': big }, headers);
    expect(r.status).toBe('rejected');
    expect(r.error).toMatch(/^scratch\.c: the source is \d+ bytes; the limit is/);
    expect((await runner.runFiles({ '../x.c': solution }, headers)).status).toBe('rejected');
  });
});

describe("every exercise's scratch starter", () => {
  it('compiles cleanly with the reference solution and runs', async () => {
    const catalog = await loadExercises(TEST_EXERCISES_DIR);
    // scratch.c is optional for an exercise, but the default one has it (the loader's fallback is generic).
    expect(catalog.defaultExercise.scratch).not.toBeNull();
    for (const exercise of catalog.list()) {
      if (exercise.scratch === null) continue;
      const r = await runner.runFiles({ 'solution.c': exercise.solution, 'scratch.c': exercise.scratch! }, exercise.headers, { stdin: '1 2 3 4\n' });
      expect({ slug: exercise.slug, status: r.status, exitCode: r.exitCode, diagnostics: r.diagnostics }).toEqual({
        slug: exercise.slug,
        status: 'ok',
        exitCode: 0,
        diagnostics: [],
      });
      expect(r.stdout.length, exercise.slug).toBeGreaterThan(0);
    }
  }, 300_000);
});
