// The console's pure parts: the scratch starter when an exercise has none, and what the timeline
// keeps of a run (bounded, with the fault placed).
import { describe, expect, it } from 'vitest';
import { CONSOLE_EVENT_TEXT } from '../../../common/console.ts';
import type { Exercise } from '../../../server/src/exercises/types.ts';
import type { FilesRunResult } from '../../../server/src/runner/index.ts';
import { consoleEventData, consoleView, recordedConsoleView, scratchStarter } from '../../../server/src/sessions/console.ts';

const run = (over: Partial<FilesRunResult>): FilesRunResult => ({
  status: 'ok',
  exitCode: 0,
  stdout: '',
  stderr: '',
  stdoutTruncated: false,
  stderrTruncated: false,
  diagnostics: [],
  compilerOutput: '',
  timings: { compileMs: 100, runMs: 5 },
  ...over,
});
const who = { participantId: 'p1', name: 'Ada' };

describe('scratchStarter', () => {
  it("uses the exercise's scratch.c, or includes every public header in a main() that says it is never graded", () => {
    const base = { headers: { 'a.h': '', 'b.h': '' }, scratch: null } as unknown as Exercise;
    const made = scratchStarter(base);
    expect(made).toContain('#include "a.h"\n#include "b.h"');
    expect(made).toMatch(/never graded/);
    expect(made).toMatch(/int main\(void\)/);
    expect(scratchStarter({ ...base, scratch: 'int main(void) { return 0; }\n' })).toBe('int main(void) { return 0; }\n');
  });
});

describe('consoleEventData', () => {
  it('keeps the start of stdin, stdout and stderr with their full lengths', () => {
    const view = consoleView('r1', 5, who, 'i'.repeat(5000), run({ stdout: 'o'.repeat(3000), stderr: 'e', stdoutTruncated: true }));
    const data = consoleEventData(view);
    expect(data).toMatchObject({
      runId: 'r1',
      status: 'ok',
      exitCode: 0,
      stdinChars: 5000,
      stdoutChars: 3000,
      stderr: 'e',
      stderrChars: 1,
      stdoutTruncated: true,
      errors: 0,
      fault: null,
      ms: 105,
    });
    expect(data.stdin).toHaveLength(CONSOLE_EVENT_TEXT);
    expect(data.stdout).toHaveLength(CONSOLE_EVENT_TEXT);
  });

  it('places the fault and counts compile errors; unknown file names are never passed on', () => {
    const crashed = consoleView(
      'r2',
      5,
      who,
      '',
      run({ status: 'runtime_error', exitCode: null, fault: { kind: 'null_dereference', message: 'NULL pointer dereference', file: 'solution.c', line: 9, function: 'ring_pop' } }),
    );
    expect(consoleEventData(crashed).fault).toBe('NULL pointer dereference (solution.c, line 9, in ring_pop)');
    const elsewhere = consoleView('r3', 5, who, '', run({ status: 'runtime_error', fault: { kind: 'trap', message: 'trap', file: '/usr/include/x.h', line: 1 } }));
    expect(elsewhere.fault).toEqual({ kind: 'trap', message: 'trap', line: 1 });
    const broken = consoleView(
      'r4',
      5,
      who,
      '',
      run({
        status: 'compile_error',
        diagnostics: [
          { file: 'scratch.c', line: 2, column: 3, severity: 'error', message: 'x' },
          { file: 'solution.c', line: 1, column: 1, severity: 'warning', message: 'y' },
        ],
      }),
    );
    expect(consoleEventData(broken).errors).toBe(1);
    expect(broken.diagnostics.map((d) => d.file)).toEqual(['scratch.c', 'solution.c']);
  });
});

describe('recordedConsoleView', () => {
  const event = (data: Record<string, unknown>) => ({ id: 7, sessionId: 's', at: 1234, type: 'console' as const, participantId: 'p1', data });

  it('rebuilds what the timeline kept, flagging the texts it cut and saying the messages are gone', () => {
    const view = consoleView('r1', 1234, who, 'in', run({ stdout: 'o'.repeat(3000), stderr: 'warn\n' }));
    const rebuilt = recordedConsoleView(event({ ...consoleEventData(view) }), 'Ada');
    expect(rebuilt).toMatchObject({
      id: 'r1',
      requestedBy: 'Ada',
      participantId: 'p1',
      at: 1234,
      stdin: 'in',
      status: 'ok',
      exitCode: 0,
      stderr: 'warn\n',
      stdoutTruncated: true,
      stderrTruncated: false,
      diagnostics: [],
      recorded: true,
      timings: { runMs: 105 },
    });
    expect(rebuilt.stdout).toBe('o'.repeat(CONSOLE_EVENT_TEXT));
    const broken = consoleView(
      'r2',
      5,
      who,
      '',
      run({
        status: 'compile_error',
        exitCode: null,
        diagnostics: [
          { file: 'scratch.c', line: 1, column: 1, severity: 'error', message: 'a' },
          { file: 'scratch.c', line: 2, column: 1, severity: 'error', message: 'b' },
        ],
      }),
    );
    expect(recordedConsoleView(event({ ...consoleEventData(broken) }), 'Ada')).toMatchObject({
      status: 'compile_error',
      error: '2 compile errors; run it again to see the messages.',
    });
    const crashed = consoleView(
      'r3',
      5,
      who,
      '',
      run({ status: 'runtime_error', exitCode: null, fault: { kind: 'null_dereference', message: 'NULL pointer dereference', file: 'scratch.c', line: 4 } }),
    );
    expect(recordedConsoleView(event({ ...consoleEventData(crashed) }), 'Ada').error).toBe('NULL pointer dereference (scratch.c, line 4)');
  });

  it('turns anything malformed (an imported timeline) into plain, bounded values', () => {
    const rebuilt = recordedConsoleView(event({ status: 'exploded', exitCode: '3', stdout: 42, stderr: 'x'.repeat(5000), ms: 'soon', runId: ['no'] }), 'Ada');
    expect(rebuilt).toMatchObject({
      id: 'event-7',
      status: 'rejected',
      exitCode: null,
      stdout: '',
      stdoutTruncated: false,
      stderrTruncated: true,
      timings: { compileMs: 0, runMs: 0 },
      diagnostics: [],
    });
    expect(rebuilt.stderr).toHaveLength(CONSOLE_EVENT_TEXT);
  });
});
