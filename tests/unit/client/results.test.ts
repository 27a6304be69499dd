import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../../common/exercise.ts';
import type { RunView } from '../../../common/protocol.ts';
import { runMarkers } from '../../../client/src/session/markers.ts';
import { formatCaseTime, summarizeRun } from '../../../client/src/session/results.ts';
import { accepted, finished, forgetPending, isBusy, noRuns, queued, requesting, runStatusText } from '../../../client/src/session/runs.ts';
import { colorFor, cssString, remoteCursorCss, safeColor } from '../../../client/src/editor/colors.ts';

const detail = { input: '1 2\n', expected: '3\n', actual: '4\n', diff: '-3\n+4\n', stderr: '' };

function run(cases: CaseResult[], extra: Partial<RunView> = {}): RunView {
  return {
    id: 'r1',
    requestedBy: 'p1',
    at: 0,
    kind: 'manual',
    status: 'ok',
    passed: cases.filter((c) => c.status === 'pass').length,
    total: cases.length,
    cases,
    diagnostics: [],
    compilerOutput: '',
    faults: [],
    ...extra,
  };
}

const visiblePass: CaseResult = { name: 'adds', visible: true, status: 'pass', timeMs: 4 };
const visibleFail: CaseResult = { name: 'carries', visible: true, status: 'fail', timeMs: 1500, detail };
const hiddenFail: CaseResult = { name: 'secret', visible: false, status: 'fail', timeMs: 3, detail };

describe('summarizeRun', () => {
  it('shows the mentor every case, hidden ones flagged', () => {
    const s = summarizeRun(run([visiblePass, visibleFail, hiddenFail]), 'mentor');
    expect(s.rows.map((r) => [r.name, r.hidden])).toEqual([
      ['adds', false],
      ['carries', false],
      ['secret', true],
    ]);
    expect(s.headline).toBe('1 / 3 tests passed');
    expect(s.tone).toBe('fail');
    expect(s.hiddenNote).toBeUndefined();
  });

  it('never displays a hidden case to a candidate or observer, even if the server sent one', () => {
    for (const role of ['candidate', 'observer'] as const) {
      const s = summarizeRun(run([visiblePass, visibleFail, hiddenFail], { hiddenPassed: 2, hiddenTotal: 3 }), role);
      expect(s.rows.map((r) => r.name)).toEqual(['adds', 'carries']);
      expect(s.hiddenNote).toBe('Hidden tests: 2 of 3 passed');
    }
  });

  it('keeps the expected-vs-actual detail for failing visible cases only', () => {
    const s = summarizeRun(run([visiblePass, visibleFail]), 'candidate');
    expect(s.rows[0]?.detail).toBeUndefined();
    expect(s.rows[1]?.detail?.diff).toBe('-3\n+4\n');
    expect(s.rows[1]?.statusLabel).toBe('Wrong answer');
    expect(s.rows[1]?.timeLabel).toBe('1.50 s');
  });

  it('reports compile errors without a row per case, and all-pass runs', () => {
    const failed = summarizeRun(run([{ ...visiblePass, status: 'compile_error' }], { status: 'compile_error', hiddenPassed: 0, hiddenTotal: 3 }), 'candidate');
    expect(failed).toMatchObject({ headline: 'Compilation failed', tone: 'error', rows: [] });
    expect(failed.hiddenNote).toBeUndefined();
    expect(summarizeRun(run([visiblePass], { kind: 'final' }), 'candidate')).toMatchObject({ headline: 'Final: 1 / 1 tests passed', tone: 'pass' });
  });

  it('formats case times', () => {
    expect(formatCaseTime(4.4)).toBe('4 ms');
    expect(formatCaseTime(2500)).toBe('2.50 s');
  });
});

describe('runMarkers', () => {
  it('maps diagnostics and faults with lines, dropping duplicates and unplaced faults', () => {
    const r = run([], {
      diagnostics: [
        { line: 3, column: 5, severity: 'error', message: "use of undeclared identifier 'x'" },
        { line: 7, column: 1, severity: 'warning', message: 'unused variable' },
        { line: 8, column: 2, severity: 'note', message: 'declared here' },
      ],
      faults: [
        { kind: 'null_dereference', message: 'Null pointer dereference', function: 'sum', line: 12 },
        { kind: 'null_dereference', message: 'Null pointer dereference', function: 'sum', line: 12 },
        { kind: 'stack_overflow', message: 'Stack overflow' },
      ],
    });
    expect(runMarkers(r)).toEqual([
      { line: 3, column: 5, severity: 'error', message: "use of undeclared identifier 'x'", source: 'compiler' },
      { line: 7, column: 1, severity: 'warning', message: 'unused variable', source: 'compiler' },
      { line: 8, column: 2, severity: 'info', message: 'declared here', source: 'compiler' },
      { line: 12, column: null, severity: 'error', message: 'Null pointer dereference (in sum)', source: 'runtime' },
    ]);
  });
});

describe('remote cursor colours and CSS', () => {
  it('gives a stable palette colour per id', () => {
    expect(colorFor('abc')).toBe(colorFor('abc'));
    expect(colorFor('abc')).toMatch(/^#[0-9a-f]{6}$/);
  });
  it('escapes names so they cannot break out of the stylesheet', () => {
    expect(cssString('Ada Lovelace')).toBe('"Ada Lovelace"');
    const evil = cssString('"; } body { display:none } /*');
    expect(evil.startsWith('"') && evil.endsWith('"')).toBe(true);
    expect(evil.slice(1, -1)).not.toMatch(/["{};]/);
    const css = remoteCursorCss(42, 'x\n}"', 'red;}');
    expect(css).toContain('.yRemoteSelectionHead-42::after');
    expect(css).toContain('#8b949e'); // rejected colour
    expect(safeColor('#A1b2C3')).toBe('#A1b2C3');
  });
});

describe('runs in flight', () => {
  it('shows our queue position, then running, then idle', () => {
    let t = requesting(noRuns, true);
    expect(runStatusText(t)).toBe('Sending…');
    t = requesting(t, false);
    t = accepted(t, { runId: 'a', position: 2 });
    expect(isBusy(t)).toBe(true);
    expect(runStatusText(t)).toBe('Queued — position 2');
    t = queued(t, { runId: 'a', position: 0 });
    expect(runStatusText(t)).toBe('Running tests…');
    t = finished(t, 'a');
    expect(isBusy(t)).toBe(false);
    expect(runStatusText(t)).toBe('');
  });

  it('never resurrects a run whose result overtook its queue event', () => {
    let t = finished(noRuns, 'b');
    t = queued(t, { runId: 'b', position: 1 });
    t = accepted(t, { runId: 'b', position: 1 });
    expect(isBusy(t)).toBe(false);
  });

  it("tracks someone else's run in the room", () => {
    let t = queued(noRuns, { runId: 'x', position: 0 });
    expect(runStatusText(t)).toBe('Running tests…');
    t = forgetPending(t);
    expect(isBusy(t)).toBe(false);
  });
});
