// The room's state reducer: the same events the server sends, the state the room renders; the
// store around it, the list rendering it drives and the editor's lock rule.
import { describe, expect, it } from 'vitest';
import type { ConsoleRunView } from '../../../common/console.ts';
import type { ChatMessage, Note, Participant, RunView, SessionView, TimerView } from '../../../common/protocol.ts';
import { appendList } from '../../../client/src/room/append-list.ts';
import { editorLock } from '../../../client/src/room/lock.ts';
import { initialRoomState, reduceRoom } from '../../../client/src/room/state.ts';
import { createRoomStore } from '../../../client/src/room/store.ts';
import { isBusy, runStatusText } from '../../../client/src/session/runs.ts';

const timer = (over: Partial<TimerView> = {}): TimerView => ({ durationMs: 1_800_000, startedAt: null, deadline: null, endedAt: null, serverNow: 10_000, ...over });
const person = (id: string, role: Participant['role'], online = true): Participant => ({ id, name: id, role, online });
const run = (id: string, at: number, passed: number): RunView => ({
  id,
  requestedBy: 'p',
  at,
  kind: 'manual',
  status: 'ok',
  passed,
  total: 5,
  cases: [],
  diagnostics: [],
  compilerOutput: '',
  faults: [],
});
const view: SessionView = {
  id: 's',
  mode: 'interview',
  role: 'mentor',
  you: person('m', 'mentor'),
  candidateName: 'Ada',
  status: 'waiting',
  timer: timer(),
  exercise: {} as SessionView['exercise'],
  participants: [person('m', 'mentor'), person('c', 'candidate', false)],
  runs: [run('r2', 20, 3), run('r1', 10, 1)],
};

describe('reduceRoom', () => {
  it('takes the session state: status, clock offset, participants, newest run', () => {
    const s = reduceRoom(initialRoomState, { type: 'state', view, localNow: 7_000 });
    expect(s.status).toBe('waiting');
    expect(s.clocked?.offsetMs).toBe(3_000);
    expect(s.participants.map((p) => p.id)).toEqual(['m', 'c']);
    expect(s.latestRun?.id).toBe('r2');
  });

  it('follows the timer, runs and presence deltas; observers who left drop out', () => {
    let s = reduceRoom(initialRoomState, { type: 'state', view, localNow: 10_000 });
    s = reduceRoom(s, { type: 'timer', timer: timer({ startedAt: 10_000, deadline: 1_810_000, serverNow: 11_000 }), status: 'live', localNow: 11_500 });
    expect(s.status).toBe('live');
    expect(s.view?.status).toBe('live');
    expect(s.clocked?.offsetMs).toBe(-500);
    s = reduceRoom(s, { type: 'run', run: run('r3', 30, 5) });
    expect(s.latestRun?.id).toBe('r3');
    expect(s.view?.runs.map((r) => r.id)).toEqual(['r2', 'r1', 'r3']);
    s = reduceRoom(s, { type: 'presence', participant: person('c', 'candidate', true) });
    s = reduceRoom(s, { type: 'presence', participant: person('o', 'observer', true) });
    expect(
      s.participants
        .filter((p) => p.online)
        .map((p) => p.id)
        .sort(),
    ).toEqual(['c', 'm', 'o']);
    s = reduceRoom(s, { type: 'presence', participant: person('o', 'observer', false) });
    s = reduceRoom(s, { type: 'presence', participant: person('c', 'candidate', false) });
    expect(s.participants.map((p) => p.id).sort()).toEqual(['c', 'm']); // the candidate stays, offline
    expect(s.participants.find((p) => p.id === 'c')?.online).toBe(false);
  });
});

describe('reduceRoom: every panel of the room', () => {
  const note = (id: string): Note => ({ id, at: 1, text: id });
  const chat = (id: string): ChatMessage => ({ id, at: 1, participantId: 'c', name: 'Ada', role: 'candidate', text: id });
  const consoleRun = (id: string, over: Partial<ConsoleRunView> = {}): ConsoleRunView => ({
    id,
    requestedBy: 'Ada',
    participantId: 'c',
    at: 1,
    stdin: '',
    status: 'ok',
    exitCode: 0,
    stdout: 'full output',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    diagnostics: [],
    compilerOutput: '',
    timings: { compileMs: 1, runMs: 1 },
    ...over,
  });

  it('shows our own note or chat message once, whether the ack or the broadcast comes first', () => {
    let s = reduceRoom(initialRoomState, { type: 'state', view: { ...view, notes: [note('n1')], chat: [chat('c1')] }, localNow: 0 });
    s = reduceRoom(s, { type: 'note', note: note('n2') });
    s = reduceRoom(s, { type: 'note', note: note('n2') });
    s = reduceRoom(s, { type: 'chat', message: chat('c2') });
    s = reduceRoom(s, { type: 'chat', message: chat('c2') });
    expect(s.notes.map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(s.chat.map((m) => m.id)).toEqual(['c1', 'c2']);
  });

  it('replaces the lists on every session state and counts the loads (the panels rebuild then)', () => {
    let s = reduceRoom(initialRoomState, { type: 'state', view: { ...view, notes: [note('n1')] }, localNow: 0 });
    s = reduceRoom(s, { type: 'signal', event: { at: 2, type: 'paste', participantId: 'c', data: { chars: 300, flagged: true } } });
    expect(s.loads).toBe(1);
    expect(s.signals).toHaveLength(1);
    s = reduceRoom(s, { type: 'state', view: { ...view, notes: [note('n1'), note('n3')], signals: [] }, localNow: 0 });
    expect(s.loads).toBe(2);
    expect(s.notes.map((n) => n.id)).toEqual(['n1', 'n3']);
    expect(s.signals).toEqual([]);
    expect(s.chat).toEqual([]); // a view without a chat (practice, or a role that gets none)
  });

  it('tracks the test runs in flight until their results, and forgets pending ones on a new session state', () => {
    let s = reduceRoom(initialRoomState, { type: 'state', view, localNow: 0 });
    s = reduceRoom(s, { type: 'requesting', kind: 'tests' });
    expect(runStatusText(s.testRuns)).toBe('Sending…');
    expect(isBusy(s.consoleRuns)).toBe(false);
    s = reduceRoom(s, { type: 'accepted', kind: 'tests', queued: { runId: 'r9', position: 2 } });
    expect(runStatusText(s.testRuns)).toBe('Queued — position 2');
    s = reduceRoom(s, { type: 'run-queued', queued: { runId: 'r9', position: 0 } });
    expect(runStatusText(s.testRuns)).toBe('Running tests…');
    s = reduceRoom(s, { type: 'run', run: run('r9', 40, 5) });
    expect(isBusy(s.testRuns)).toBe(false);
    s = reduceRoom(s, { type: 'run-queued', queued: { runId: 'r9', position: 1 } }); // late: not resurrected
    expect(isBusy(s.testRuns)).toBe(false);
    s = reduceRoom(s, { type: 'run-queued', queued: { runId: 'other', position: 0 } });
    expect(isBusy(s.testRuns)).toBe(true);
    s = reduceRoom(s, { type: 'state', view, localNow: 0 });
    expect(isBusy(s.testRuns)).toBe(false);
    s = reduceRoom(s, { type: 'requesting', kind: 'tests' });
    s = reduceRoom(s, { type: 'refused', kind: 'tests' });
    expect(isBusy(s.testRuns)).toBe(false);
  });

  it('keeps the console run everyone saw; a rejoin does not replace a full result with its recorded copy', () => {
    let s = reduceRoom(initialRoomState, { type: 'state', view, localNow: 0 });
    expect(s.console).toBeNull();
    s = reduceRoom(s, { type: 'requesting', kind: 'console' });
    s = reduceRoom(s, { type: 'accepted', kind: 'console', queued: { runId: 'k1', position: 0 } });
    expect(runStatusText(s.consoleRuns)).toBe('Running tests…');
    expect(isBusy(s.testRuns)).toBe(false);
    const full = consoleRun('k1');
    s = reduceRoom(s, { type: 'console', run: full });
    expect(isBusy(s.consoleRuns)).toBe(false);
    s = reduceRoom(s, { type: 'state', view: { ...view, console: consoleRun('k1', { stdout: 'cut', recorded: true }) }, localNow: 0 });
    expect(s.console).toBe(full);
    s = reduceRoom(s, { type: 'state', view, localNow: 0 }); // no console in the view: the last one stays
    expect(s.console).toBe(full);
    const next = consoleRun('k2', { recorded: true });
    s = reduceRoom(s, { type: 'state', view: { ...view, console: next }, localNow: 0 });
    expect(s.console).toBe(next);
  });

  it("adds a revealed hint once, in the exercise order; a session state brings the server's list", () => {
    const hint = (n: number) => ({ number: n, text: `h${n}`, at: n });
    let s = reduceRoom(initialRoomState, { type: 'state', view: { ...view, mode: 'practice', role: 'candidate', hints: { total: 3, revealed: [hint(1)] } }, localNow: 0 });
    s = reduceRoom(s, { type: 'hint', hint: hint(3) });
    s = reduceRoom(s, { type: 'hint', hint: hint(2) });
    const same = s;
    s = reduceRoom(s, { type: 'hint', hint: hint(2) });
    expect(s).toBe(same);
    expect(s.hints).toEqual({ total: 3, revealed: [hint(1), hint(2), hint(3)] });
    s = reduceRoom(s, { type: 'state', view: { ...view, hints: { total: 3, revealed: [hint(1)] } }, localNow: 0 });
    expect(s.hints?.revealed).toHaveLength(1);
  });

  it('changes nothing on a timer warning (a toast only)', () => {
    const s = reduceRoom(initialRoomState, { type: 'state', view, localNow: 0 });
    expect(reduceRoom(s, { type: 'timer-warning', minutesLeft: 5 })).toBe(s);
  });
});

describe('room store', () => {
  it('tells each listener the new state, the previous one and the event', () => {
    const store = createRoomStore();
    const seen: Array<[string | undefined, string | undefined, string]> = [];
    const stop = store.subscribe((s, prev, e) => seen.push([s.view?.id, prev.view?.id, e.type]));
    store.dispatch({ type: 'state', view, localNow: 0 });
    store.dispatch({ type: 'timer-warning', minutesLeft: 1 });
    stop();
    store.dispatch({ type: 'select', runId: null });
    expect(seen).toEqual([
      ['s', undefined, 'state'],
      ['s', 's', 'timer-warning'],
    ]);
    expect(store.get().view?.id).toBe('s');
  });
});

describe('appendList', () => {
  it('rebuilds on a new load and appends only what came since', () => {
    const calls: string[] = [];
    const render = appendList<string>({ rebuild: (items) => calls.push(`rebuild ${items.join(',')}`), append: (item) => calls.push(`append ${item}`) });
    render([], 0);
    render(['a'], 0);
    render(['a', 'b', 'c'], 0);
    render(['a', 'b', 'c'], 0);
    render(['x'], 1);
    expect(calls).toEqual(['rebuild ', 'append a', 'append b', 'append c', 'rebuild x']);
  });
});

describe('editorLock', () => {
  const base = { view, status: 'live' as const, everSynced: true, restoring: false, remainingMs: 60_000 };
  const candidate = { ...view, role: 'candidate' as const };
  it('follows the policy: who may write when, and says why not in the words of the mode', () => {
    expect(editorLock({ ...base, view: null })?.[1]).toBe('Connecting…');
    expect(editorLock({ ...base, everSynced: false })?.[1]).toBe('Connecting…');
    expect(editorLock({ ...base, restoring: true })?.[1]).toBe('Restoring the saved copy…');
    expect(editorLock({ ...base, view: { ...view, role: 'observer' } })?.[1]).toBe('Read-only: observing');
    expect(editorLock(base)).toBeNull();
    expect(editorLock({ ...base, status: 'waiting' })).toBeNull(); // an interviewer may write before the start
    expect(editorLock({ ...base, view: candidate, status: 'waiting' })?.[1]).toBe('Read-only until the timer starts');
    expect(editorLock({ ...base, view: { ...candidate, mode: 'practice' }, status: 'waiting' })?.[1]).toBe('Read-only until you start');
    expect(editorLock({ ...base, view: candidate, remainingMs: 0 })?.[1]).toBe('Read-only: the interview has ended');
    expect(editorLock({ ...base, view: { ...candidate, mode: 'practice' }, status: 'ended' })?.[1]).toBe('Read-only: submitted');
    expect(editorLock({ ...base, view: candidate })).toBeNull();
  });
});
