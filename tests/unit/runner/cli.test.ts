// The command line as authors and scripts use it: JSON on stdout, usage errors exit 2.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let dir: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['server/src/cli.ts', ...args], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('cli', () => {
  it('runs a file with stdin and prints one JSON object', async () => {
    await writeFile(path.join(dir, 'echo.c'), '#include <stdio.h>\nint main(void) { int c; while ((c = getchar()) != EOF) putchar(c); return 4; }\n');
    await writeFile(path.join(dir, 'input.txt'), 'through stdin\n');
    const { code, stdout } = await cli(['run', path.join(dir, 'echo.c'), '--stdin', path.join(dir, 'input.txt'), '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ status: 'ok', exitCode: 4, stdout: 'through stdin\n', stderr: '', diagnostics: [] });
    expect(result.timings).toEqual({ compileMs: expect.any(Number), runMs: expect.any(Number) });
  });

  it('grades a file against an exercise', async () => {
    const { code, stdout } = await cli(['grade', 'ring-buffer', 'exercises/ring-buffer/wrong/power_of_two_mask.c', '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('ok');
    expect(result.passed).toBeLessThan(result.total);
    expect(result.cases[0]).toEqual(expect.objectContaining({ name: expect.any(String), visible: true, status: expect.any(String), timeMs: expect.any(Number) }));
  });

  it('prints a readable summary without --json', async () => {
    await writeFile(path.join(dir, 'bad.c'), 'int main(void) { return missing; }\n');
    const { code, stdout } = await cli(['run', path.join(dir, 'bad.c')]);
    expect(code).toBe(0);
    expect(stdout).toContain('status: compile_error');
    expect(stdout).toContain("bad.c:1:25: error: use of undeclared identifier 'missing'");
  });

  it.each([[[]], [['run']], [['grade', 'ring-buffer']], [['grade', 'no-such-exercise', 'x.c']], [['run', 'a.c', '--bogus']], [['run', '/nonexistent.c']]])(
    'exits 2 with usage for %j',
    async (args) => {
      const { code, stderr } = await cli(args);
      expect(code).toBe(2);
      expect(stderr).toContain('usage:');
    },
  );
});
