// The timer with an injected clock: warnings, extra time, and the deadline, after which edits are
// refused and the final code is graded (real runner) against visible and hidden cases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView, SessionStatus, TimerView } from '../../common/protocol.ts';
import type { Runner } from '../../server/src/runner/index.ts';
import { ManualClock, MINUTE } from '../../server/src/sessions/timer.ts';
import { fingerprintFor } from '../../server/src/similarity/record.ts';
import { connect, exercises, startServer, storedText, testRunner, type TestServer } from './helpers.ts';

let runner: Runner;
let server: TestServer;
const clock = new ManualClock();

beforeAll(async () => {
  runner = testRunner();
  server = await startServer({ clock, runner });
});
afterAll(async () => {
  await server?.close();
  await runner?.close();
});

describe('deadline', () => {
  it('warns, extends, ends at the deadline, refuses later edits and grades the final code', async () => {
    const exercise = (await exercises()).defaultExercise;
    const s = await server.createSession({ minutes: 10 });
    const mentor = await connect(server.url, s.links.mentor);
    const cand = await connect(server.url, s.links.candidate);
    expect(cand.state!.status).toBe('waiting');
    expect(cand.state!.timer).toMatchObject({ startedAt: null, deadline: null, durationMs: 10 * MINUTE, serverNow: clock.now() });

    // Before the start the candidate can neither edit nor run: the clock is their budget. (A
    // second connection of theirs, thrown away after: its document now holds a refused edit.)
    const eager = await connect(server.url, s.links.candidate);
    const early = await eager.edit((t) => t.insert(0, '// head start\n'));
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await eager.socket.timeout(5000).emitWithAck('run:request')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    eager.close();
    expect(await storedText(server.store, s.id)).toBe(exercise.starter);

    const t0 = clock.now();
    const seenByCandidate = cand.next<[TimerView, SessionStatus]>('timer:update');
    const started = await mentor.socket.timeout(5000).emitWithAck('timer:start');
    expect(started).toEqual({ ok: true, value: { durationMs: 10 * MINUTE, startedAt: t0, deadline: t0 + 10 * MINUTE, endedAt: null, serverNow: t0 } });
    expect(await seenByCandidate).toEqual([started.ok && started.value, 'live']);
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(false); // conflict

    // The candidate writes the reference solution, so the final grading must pass everything.
    expect(
      (
        await cand.edit((t) => {
          t.delete(0, t.length);
          t.insert(0, exercise.solution);
        })
      ).ok,
    ).toBe(true);

    const warn5 = cand.next<[number]>('timer:warning', (m) => m === 5);
    clock.advance(5 * MINUTE);
    expect(await warn5).toEqual([5]);

    const added = await mentor.socket.timeout(5000).emitWithAck('timer:add', { minutes: 2 });
    expect(added.ok && added.value.deadline).toBe(t0 + 12 * MINUTE);

    const warn1 = cand.next<[number]>('timer:warning', (m) => m === 1);
    clock.advance(6 * MINUTE); // 11 minutes in: 1 minute left
    expect(await warn1).toEqual([1]);
    expect((await cand.edit((t) => t.insert(t.length, '// last second\n'))).ok).toBe(true);

    const ended = cand.next<[TimerView, SessionStatus]>('timer:update', (_t, st) => st === 'ended');
    const finalForCandidate = cand.next<[RunView]>('run:result', (r) => r.kind === 'final', 60_000);
    const finalForMentor = mentor.next<[RunView]>('run:result', (r) => r.kind === 'final', 60_000);
    clock.advance(1 * MINUTE);
    const [timer] = await ended;
    expect(timer).toMatchObject({ deadline: t0 + 12 * MINUTE, endedAt: t0 + 12 * MINUTE });

    // After the deadline: every edit refused, nothing stored, the stored code unchanged.
    const textAtDeadline = await storedText(server.store, s.id);
    const updateCount = (await server.store.listUpdates(s.id)).length;
    const late = await cand.edit((t) => t.insert(0, '// too late\n'));
    expect(late).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    const lateMentor = await mentor.edit((t) => t.insert(0, '// mentor too late\n'));
    expect(lateMentor).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect((await cand.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(false);
    expect(await storedText(server.store, s.id)).toBe(textAtDeadline);
    expect((await server.store.listUpdates(s.id)).length).toBe(updateCount);
    expect(textAtDeadline).toContain('// last second');

    // Final grading: stored, broadcast, redacted for the candidate.
    const hidden = exercise.cases.filter((c) => !c.visible).length;
    const [m] = await finalForMentor;
    const [c] = await finalForCandidate;
    expect(m.cases.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.status}`)).toEqual([]);
    expect(m).toMatchObject({ kind: 'final', status: 'ok', total: exercise.cases.length, passed: exercise.cases.length });
    expect(m.cases).toHaveLength(exercise.cases.length);
    expect(c.cases.every((x) => x.visible)).toBe(true);
    expect(c).toMatchObject({ hiddenTotal: hidden, hiddenPassed: hidden });
    const runs = await server.store.listRuns(s.id);
    expect(runs.filter((r) => r.kind === 'final')).toHaveLength(1);
    expect(runs[0]!.result.passed).toBe(exercise.cases.length);
    // Its similarity fingerprints are stored with it, for the comparison board.
    const stored = (await server.store.listFingerprints(exercise.slug)).find((f) => f.sessionId === s.id);
    expect(stored?.prints).toEqual(await fingerprintFor(exercise, textAtDeadline));
    expect(stored!.prints.length).toBeGreaterThan(20);

    const events = (await server.store.listEvents(s.id)).map((e) => e.type).filter((t) => t !== 'join' && t !== 'leave');
    // The 5-minute warning fires again: after +2 min there were 5 minutes left once more.
    expect(events).toEqual(['start', 'warning', 'add', 'warning', 'warning', 'deadline']);
    expect((await server.store.getSession(s.id))!.status).toBe('ended');

    // A client arriving now sees the end state and the final result.
    const late2 = await connect(server.url, s.links.observer);
    expect(late2.state).toMatchObject({ status: 'ended', timer: { endedAt: t0 + 12 * MINUTE } });
    expect(late2.state!.runs.some((r) => r.kind === 'final')).toBe(true);
    for (const x of [mentor, cand, late2]) x.close();
  });

  it('the mentor can end early; the code is graded once', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    await mentor.socket.timeout(5000).emitWithAck('timer:start');
    const final = mentor.next<[RunView]>('run:result', (r) => r.kind === 'final', 60_000);
    const r = await mentor.socket.timeout(5000).emitWithAck('session:end');
    expect(r.ok && r.value.endedAt).toBe(clock.now());
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(false);
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:add', { minutes: 5 })).ok).toBe(false);
    const [run] = await final;
    expect(run.kind).toBe('final');
    await server.app.sessions.idle();
    expect((await server.store.listRuns(s.id)).filter((x) => x.kind === 'final')).toHaveLength(1);
    // The untouched starter leaves no fingerprint: nothing in it can look copied.
    const stored = (await server.store.listFingerprints((await exercises()).defaultExercise.slug)).find((f) => f.sessionId === s.id);
    expect(stored?.prints).toEqual([]);
    expect((await server.store.listEvents(s.id)).map((e) => e.type).filter((t) => t !== 'join' && t !== 'leave')).toEqual(['start', 'end']);
    mentor.close();
  });
});
