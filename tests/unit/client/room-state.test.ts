// The room's state reducer: the same events the server sends, the state the room renders.
import { describe, expect, it } from 'vitest';
import type { Participant, RunView, SessionView, TimerView } from '../../../common/protocol.ts';
import { initialRoomState, reduceRoom } from '../../../client/src/room/state.ts';

const timer = (over: Partial<TimerView> = {}): TimerView => ({ durationMs: 1_800_000, startedAt: null, deadline: null, endedAt: null, serverNow: 10_000, ...over });
const person = (id: string, role: Participant['role'], online = true): Participant => ({ id, name: id, role, online });
const run = (id: string, at: number, passed: number): RunView => ({
  id, requestedBy: 'p', at, kind: 'manual', status: 'ok', passed, total: 5, cases: [], diagnostics: [], compilerOutput: '', faults: [],
});
const view: SessionView = {
  id: 's', mode: 'interview', role: 'mentor', you: person('m', 'mentor'), candidateName: 'Ada', status: 'waiting', timer: timer(),
  exercise: {} as SessionView['exercise'], participants: [person('m', 'mentor'), person('c', 'candidate', false)], runs: [run('r2', 20, 3), run('r1', 10, 1)],
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
    expect(s.participants.filter((p) => p.online).map((p) => p.id).sort()).toEqual(['c', 'm', 'o']);
    s = reduceRoom(s, { type: 'presence', participant: person('o', 'observer', false) });
    s = reduceRoom(s, { type: 'presence', participant: person('c', 'candidate', false) });
    expect(s.participants.map((p) => p.id).sort()).toEqual(['c', 'm']); // the candidate stays, offline
    expect(s.participants.find((p) => p.id === 'c')?.online).toBe(false);
  });
});
