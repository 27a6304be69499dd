// Hostile programs (one per file in this folder, each saying what it attacks). Each gets its
// verdict, and an ordinary job run right after it still works.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../common/exercise.ts';
import { createRunner, type Runner } from '../../server/src/runner/index.ts';

let runner: Runner;
beforeAll(async () => {
  runner = createRunner({ limits: { concurrency: 1, runMs: 1_000, compileMs: 5_000, outputBytes: 16 * 1024 } });
  await runner.ready();
});
afterAll(() => runner.close());

const source = (name: string) => readFile(path.join(import.meta.dirname, name), 'utf8');

async function expectStillWorks(): Promise<void> {
  const ordinary = await runner.run('#include <stdio.h>\nint main(void) { puts("still fine"); return 0; }');
  expect(ordinary).toMatchObject({ status: 'ok', stdout: 'still fine\n', exitCode: 0 });
}

const verdicts: Array<[string, (result: RunResult) => void]> = [
  ['infinite_loop.c', (r) => expect(r.status).toBe('timeout')],
  [
    'memory_bomb.c',
    (r) => {
      expect(r.status).toBe('memory_limit');
      expect(r.fault?.kind).toBe('memory_exhausted');
    },
  ],
  [
    'stack_overflow.c',
    (r) => {
      expect(r.status).toBe('runtime_error');
      expect(r.fault).toMatchObject({ kind: 'stack_overflow', function: 'dive' });
    },
  ],
  [
    'output_flood.c',
    (r) => {
      expect(r.status).toBe('output_limit');
      expect(r.stdoutTruncated).toBe(true);
      expect(Buffer.byteLength(r.stdout)).toBe(16 * 1024);
    },
  ],
  [
    'stderr_flood.c',
    (r) => {
      expect(r.status).toBe('output_limit');
      expect(r.stderrTruncated).toBe(true);
    },
  ],
  [
    'include_etc_passwd.c',
    (r) => {
      expect(r.status).toBe('compile_error');
      expect(r.diagnostics[0]).toMatchObject({ line: 3, severity: 'error', message: "'/etc/passwd' file not found" });
      expect(r.compilerOutput).not.toContain('root:');
    },
  ],
  [
    'include_dev_random.c',
    (r) => {
      expect(r.status).toBe('compile_error');
      expect(r.diagnostics[0]).toMatchObject({ line: 2, message: "'/dev/random' file not found" });
    },
  ],
  [
    'read_host_file.c',
    (r) => {
      expect(r.status).toBe('ok');
      expect(r.stdout).not.toContain('LEAK');
      expect(r.stdout.match(/^denied /gm)).toHaveLength(4);
    },
  ],
  ['network.c', (r) => expect(r.status).toBe('compile_error')],
  [
    'import_host_function.c',
    (r) => {
      expect(r.status).toBe('compile_error');
      expect(r.error).toBe('the program imports env.system, which the sandbox does not provide');
    },
  ],
  [
    'macro_bomb.c',
    (r) => {
      expect(r.status).toBe('timeout');
      expect(r.error).toMatch(/compilation took longer than 5000 ms/);
    },
  ],
];

describe('hostile programs', () => {
  it.each(verdicts)('%s', async (file, check) => {
    check(await runner.run(await source(file)));
    await expectStillWorks();
  });

  it('a huge source is refused before it reaches the compiler', async () => {
    // 1 MiB of valid C: far over the 64 KiB source limit.
    const huge = `int main(void) { return 0; }\n${'int filler_variable_with_a_long_name;\n'.repeat(28_000)}`;
    const result = await runner.run(huge);
    expect(result.status).toBe('rejected');
    expect(result.timings.compileMs).toBe(0);
    await expectStillWorks();
  });
});
