// The room's pure view-models for the interview UX: run history and final cause, timer notices,
// the API completions scanned from exercise headers, cursor label CSS, run selection.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunView, SessionView, TimerView } from '../../../common/protocol.ts';
import { headerSymbols } from '../../../client/src/editor/c-symbols.ts';
import { remoteCursorCss } from '../../../client/src/editor/colors.ts';
import { initialRoomState, reduceRoom, shownRun } from '../../../client/src/room/state.ts';
import { finalCause, formatElapsed, historyEntries } from '../../../client/src/session/history.ts';
import { timerNotice } from '../../../client/src/session/notices.ts';

const T0 = 1_000_000;
const timer = (over: Partial<TimerView> = {}): TimerView => ({ durationMs: 1_800_000, startedAt: T0, deadline: T0 + 1_800_000, endedAt: null, serverNow: T0, ...over });
const run = (id: string, at: number, over: Partial<RunView> = {}): RunView => ({
  id,
  requestedBy: 'Ada',
  at,
  kind: 'manual',
  status: 'ok',
  passed: 2,
  total: 5,
  cases: [],
  diagnostics: [],
  compilerOutput: '',
  faults: [],
  ...over,
});

describe('final cause', () => {
  it('is the deadline only when the server stamped the end at the deadline', () => {
    expect(finalCause(timer(), 'interview')).toBeNull();
    expect(finalCause(timer({ endedAt: T0 + 1_800_000 }), 'interview')).toBe('deadline');
    expect(finalCause(timer({ endedAt: T0 + 1_799_999 }), 'interview')).toBe('ended_early');
    expect(finalCause(timer({ startedAt: null, deadline: null, endedAt: T0 }), 'interview')).toBe('ended_early');
    expect(finalCause(timer({ endedAt: T0 + 60_000 }), 'practice')).toBe('submitted');
  });
});

describe('run history', () => {
  it('numbers runs, gives interview time, who and outcome, newest first', () => {
    const runs = [
      run('a', T0 + 65_000, { number: 1 }),
      run('b', T0 + 125_500, { number: 2, requestedBy: 'Grace', status: 'compile_error', passed: 0 }),
      run('c', T0 + 130_000, { number: 3, passed: 5 }),
      run('f', T0 + 1_800_000 + 900, { number: 4, kind: 'final', requestedBy: 'Server', passed: 5, total: 9 }),
    ];
    const entries = historyEntries(runs, timer({ endedAt: T0 + 1_800_000 }), 'interview', 'Ada');
    expect(entries.map((e) => [e.label, e.time, e.who, e.outcome, e.tone])).toEqual([
      ['Final', '30:00', 'graded at the deadline', '5/9 passed', 'fail'],
      ['#3', '02:10', 'you', '5/5 passed', 'pass'],
      ['#2', '02:05', 'Grace', 'compile error', 'error'],
      ['#1', '01:05', 'you', '2/5 passed', 'fail'],
    ]);
    const early = historyEntries(runs, timer({ endedAt: T0 + 600_000 }), 'interview');
    expect(early[0]?.who).toBe('ended early by the interviewer');
    expect(historyEntries([run('w', T0 - 5, { number: 1 })], timer({ startedAt: null, deadline: null }), 'interview')[0]?.time).toBe('before start');
    expect(formatElapsed(3_599_999)).toBe('59:59');
    expect(formatElapsed(3_600_000)).toBe('60:00');
  });

  it('numbers live results after the highest known number, keeps a picked run until a new one arrives', () => {
    const view = { runs: [run('r21', T0 + 10, { number: 21 }), run('r22', T0 + 20, { number: 22 })], participants: [], timer: timer(), status: 'live' } as unknown as SessionView;
    let s = reduceRoom(initialRoomState, { type: 'state', view, localNow: T0 });
    expect(shownRun(s)?.id).toBe('r22');
    s = reduceRoom(s, { type: 'select', runId: 'r21' });
    expect(shownRun(s)?.id).toBe('r21');
    s = reduceRoom(s, { type: 'select', runId: 'nope' });
    expect(shownRun(s)?.id).toBe('r22');
    s = reduceRoom(s, { type: 'select', runId: 'r21' });
    s = reduceRoom(s, { type: 'run', run: run('r23', T0 + 30) });
    expect(shownRun(s)?.id).toBe('r23');
    expect(s.view?.runs.find((r) => r.id === 'r23')?.number).toBe(23);
    // The same result again (e.g. after a reconnection) keeps its number.
    s = reduceRoom(s, { type: 'run', run: run('r23', T0 + 30) });
    expect(s.view?.runs.filter((r) => r.id === 'r23').map((r) => r.number)).toEqual([23]);
  });
});

describe('timer notices', () => {
  it('tells everyone when time is added, with the new time left', () => {
    const before = timer({ serverNow: T0 + 600_000 });
    const after = timer({ durationMs: 2_100_000, deadline: T0 + 2_100_000, serverNow: T0 + 600_000 });
    expect(timerNotice(before, 'live', after, 'live', 'candidate', 'interview')?.text).toBe('The interviewer added 5 minutes: 25:00 left.');
    expect(timerNotice(before, 'live', after, 'live', 'mentor', 'interview')?.text).toBe('You added 5 minutes: 25:00 left.');
    expect(timerNotice(before, 'live', before, 'live', 'candidate', 'interview')).toBeNull();
  });

  it('says how the interview ended', () => {
    const live = timer();
    expect(timerNotice(live, 'live', timer({ endedAt: T0 + 1_800_000 }), 'ended', 'candidate', 'interview')?.text).toBe('Time is up: the interview has ended.');
    expect(timerNotice(live, 'live', timer({ endedAt: T0 + 5 }), 'ended', 'candidate', 'interview')?.text).toBe('The interviewer ended the interview.');
    expect(timerNotice(timer({ startedAt: null, deadline: null }), 'waiting', live, 'live', 'candidate', 'interview')?.text).toContain('Good luck');
  });
});

describe('completions from exercise headers', () => {
  it('finds the functions and types every exercise declares', () => {
    const dir = path.join(import.meta.dirname, '../../../exercises');
    for (const slug of fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'include')))) {
      const headers: Record<string, string> = {};
      for (const f of fs.readdirSync(path.join(dir, slug, 'include'))) headers[f] = fs.readFileSync(path.join(dir, slug, 'include', f), 'utf8');
      const symbols = headerSymbols(headers);
      const functions = symbols.filter((s) => s.kind === 'function');
      // Every prototype in the header (a name followed by '(' and ending in ');') is found.
      const declared =
        Object.values(headers)
          .join('\n')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .match(/\b\w+(?=\s*\([^()]*\)\s*;)/g) ?? [];
      expect(functions.map((s) => s.name).sort(), slug).toEqual([...new Set(declared)].sort());
      const typedefs =
        Object.values(headers)
          .join('\n')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .match(/\btypedef\b/g) ?? [];
      expect(symbols.filter((s) => s.kind === 'type' && s.detail.startsWith('typedef')).length, slug).toBe(typedefs.length);
    }
  });

  it('keeps signatures, parameter names and the comment above', () => {
    const [push] = headerSymbols({ 'r.h': '#ifndef R_H\n#define R_H\n/* Appends value. */\nbool ring_push(ring_t *r, int32_t value);\nvoid f(void);\n#endif\n' });
    expect(push).toMatchObject({ name: 'ring_push', kind: 'function', detail: 'bool ring_push(ring_t *r, int32_t value)', params: ['r', 'value'], doc: 'Appends value.' });
    const names = headerSymbols({ 'r.h': '#define R_H\n#define MAX 4 /* most */\nvoid f(void);' }).map((s) => s.name);
    expect(names).toEqual(['MAX', 'f']); // no include guard
  });
});

describe('remote cursor labels', () => {
  it('show a name only while its owner is active (or on hover), and hidden cursors draw nothing', () => {
    expect(remoteCursorCss(7, 'Ada', '#e5534b', 'idle')).not.toContain('opacity');
    expect(remoteCursorCss(7, 'Ada', '#e5534b', 'active')).toContain('.yRemoteSelectionHead-7::after { content: "Ada"; background-color: #e5534b; opacity: 1; }');
    expect(remoteCursorCss(7, 'Ada', '#e5534b', 'hidden')).toBe('.yRemoteSelection-7, .yRemoteSelectionHead-7 { display: none; }');
  });
});
