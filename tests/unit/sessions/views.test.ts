import { describe, expect, it } from 'vitest';
import type { CaseResult, GradeResult } from '../../../common/exercise.ts';
import { visibleGrade } from '../../../common/redact.ts';
import type { RunRecord } from '../../../server/src/store/types.ts';
import { cleanName, cleanText, runView } from '../../../server/src/sessions/views.ts';

const result: GradeResult = {
  status: 'ok',
  passed: 2,
  total: 4,
  cases: [
    { name: 'visible ok', visible: true, status: 'pass', timeMs: 3, detail: { input: 'in', expected: 'e', actual: 'e', diff: '', stderr: '' } },
    { name: 'visible crash', visible: true, status: 'runtime_error', timeMs: 3, fault: { kind: 'null_dereference', message: 'NULL', line: 4 } },
    { name: 'SECRET hidden pass', visible: false, status: 'pass', timeMs: 3 },
    {
      name: 'SECRET hidden fail',
      visible: false,
      status: 'fail',
      timeMs: 3,
      fault: { kind: 'out_of_bounds', message: 'SECRET fault', line: 9 },
      detail: { input: 'SECRET input', expected: 'SECRET', actual: 'x', diff: 'SECRET', stderr: '' },
    },
  ],
  diagnostics: [],
  compilerOutput: '',
  timings: { compileMs: 1, runMs: 1 },
};
const run: RunRecord = { id: 'r', sessionId: 's', at: 5, requestedAt: 4, kind: 'manual', participantId: 'p', updateId: 3, source: 'int x;', result };

describe('runView', () => {
  it('gives candidates and observers visible cases and hidden counts only', () => {
    for (const role of ['candidate', 'observer'] as const) {
      const v = runView(run, role, 'Ada', 'interview');
      expect(JSON.stringify(v)).not.toContain('SECRET');
      expect(v.cases.map((c) => c.name)).toEqual(['visible ok', 'visible crash']);
      expect(v).toMatchObject({ passed: 2, total: 4, hiddenPassed: 1, hiddenTotal: 2, requestedBy: 'Ada' });
      expect(v.faults).toEqual([{ kind: 'null_dereference', message: 'NULL', line: 4 }]);
    }
  });

  it('gives the mentor everything', () => {
    const v = runView(run, 'mentor', 'Ada', 'interview');
    expect(v.cases).toHaveLength(4);
    expect(v.faults).toHaveLength(2);
    expect(JSON.stringify(v)).toContain('SECRET input');
  });

  it("gives an interview's review link what the mentor gets, a practice attempt's none of it", () => {
    expect(runView(run, 'review', 'Ada', 'interview')).toEqual(runView(run, 'mentor', 'Ada', 'interview'));
    for (const role of ['candidate', 'review', 'mentor'] as const) {
      const v = runView(run, role, 'Ada', 'practice');
      expect(v.cases.map((c) => c.name)).toEqual(['visible ok', 'visible crash']);
      expect(JSON.stringify(v).replace(/SECRET hidden (pass|fail)/g, '')).not.toContain('SECRET');
    }
  });

  it("names a practice attempt's hidden cases in its final grading, with their status and nothing else", () => {
    const final = runView({ ...run, kind: 'final' }, 'candidate', 'Server', 'practice');
    expect(final.hiddenRevealed).toBe(true);
    expect(final.cases.filter((c) => !c.visible)).toEqual([
      { name: 'SECRET hidden pass', visible: false, status: 'pass' },
      { name: 'SECRET hidden fail', visible: false, status: 'fail' },
    ]);
    expect(final.faults).toEqual([{ kind: 'null_dereference', message: 'NULL', line: 4 }]);
  });
});

describe('visibleGrade', () => {
  it('keeps a hidden case to its name and status without see:hidden, and counts only the times shown', () => {
    const r = visibleGrade(result, false);
    expect(r.cases[3]).toEqual({ name: 'SECRET hidden fail', visible: false, status: 'fail' });
    expect(r.cases[1]).toEqual(result.cases[1]);
    expect(r.timings).toEqual({ compileMs: 1, runMs: 6 });
    expect(visibleGrade(result, true)).toEqual(result);
  });

  it('copies known fields only', () => {
    const extra = { ...result, cases: [{ ...result.cases[3]!, fault: { kind: 'abort', message: 'm', file: 'x.c' }, leak: 'SECRET' } as CaseResult] };
    const [c] = visibleGrade(extra, true).cases;
    expect(c).not.toHaveProperty('leak');
    expect(c!.fault).toEqual({ kind: 'abort', message: 'm' });
  });
});

describe('cleaning', () => {
  it('strips control and bidi characters from names and bounds them', () => {
    expect(cleanName('  Ada\u0000\u202E Love\nlace\t ', 80)).toBe('Ada Love lace');
    expect(cleanName('\u0007\u0008', 80)).toBe('');
    expect([...cleanName('😀'.repeat(100), 80)]).toHaveLength(80);
  });

  it('keeps newlines in notes but not other controls', () => {
    expect(cleanText('a\r\nb\u0000c\td\u202E')).toBe('a\nbc\td');
  });
});
