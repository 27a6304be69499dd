// Two server nodes on one store change the same session's timer at once. The store applies a
// timer change only from the state it comes from, so exactly one node's change (and event) wins;
// the other node reloads the stored timer and shows that to its room, and only the winner grades.
import { fakeRunner } from '../../support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../../common/exercise.ts';
import type { TimerView } from '../../../common/protocol.ts';
import { loadExercises } from '../../../server/src/exercises/load.ts';
import { SessionAdmin } from '../../../server/src/sessions/admin.ts';
import { SessionService, type Identity } from '../../../server/src/sessions/service.ts';
import { ManualClock, MINUTE } from '../../../server/src/sessions/timer.ts';
import { loadKeys } from '../../../server/src/sessions/tokens.ts';
import { MemoryStore } from '../../../server/src/store/memory.ts';
import { TEST_EXERCISES_DIR } from '../../support/paths.ts';

const graded: GradeResult = { status: 'ok', passed: 0, total: 1, cases: [], diagnostics: [], compilerOutput: '', timings: { compileMs: 1, runMs: 1 } };
let grades = 0;
const countingRunner = fakeRunner({ grade: async () => (grades++, graded) });

let dir: string;
let store: MemoryStore;
let clock: ManualClock;
let nodes: { service: SessionService; timers: TimerView[]; mentor: Identity }[];
let sessionId: string;

beforeEach(async () => {
  grades = 0;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-nodes-'));
  store = new MemoryStore();
  clock = new ManualClock();
  const catalog = await loadExercises(TEST_EXERCISES_DIR);
  const admin = new SessionAdmin({ store, catalog, clock, keys: loadKeys(dir, 'unit-test-mentor-key-123'), loadedRecord: () => undefined });
  const s = await admin.create({ candidateName: 'Ada', minutes: 30 });
  sessionId = s.id;
  nodes = [];
  for (let n = 0; n < 2; n++) {
    const service = new SessionService({ store, catalog, runner: countingRunner, clock, snapshotEvery: 100, log: () => {} });
    const timers: TimerView[] = [];
    service.on('timer', (_id, view) => timers.push(view));
    const mentor = await service.authenticate(s.links.mentor.split('/').pop()!, undefined);
    service.attach(mentor);
    nodes.push({ service, timers, mentor });
  }
});
afterEach(async () => {
  for (const n of nodes) {
    await n.service.idle();
    await n.service.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const timerEvents = async () => (await store.listEvents(sessionId)).filter((e) => ['start', 'add', 'end', 'deadline'].includes(e.type)).map((e) => e.type);

describe('timer changes from several nodes', () => {
  it('two starts at once: one applies; the other node shows the stored timer and reports the conflict', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    const first = await a.service.startTimer(a.mentor);
    clock.advance(1_000);
    const second = await b.service.startTimer(b.mentor); // node b still holds the session as waiting
    expect(first.ok).toBe(true);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await timerEvents()).toEqual(['start']);
    const stored = await store.getSession(sessionId);
    expect(b.timers.at(-1)).toMatchObject({ startedAt: stored!.startedAt, deadline: stored!.deadline });
    expect(b.service.loadedRecord(sessionId)).toMatchObject({ status: 'live', deadline: stored!.deadline });
  });

  it('a deadline that another node moved: the stale node re-arms for the new one; the session ends and is graded once', async () => {
    const [a, b] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];
    expect((await a.service.startTimer(a.mentor)).ok).toBe(true);
    // Node b learns of the start the way it would from the store after a conflict: by reloading.
    await b.service.startTimer(b.mentor);
    const deadline = (await store.getSession(sessionId))!.deadline!;
    expect((await a.service.addTime(a.mentor, 5)).ok).toBe(true);
    // Node b still has the old deadline armed; it fires and fails, and b takes the stored deadline.
    clock.advance(deadline - clock.now());
    await b.service.idle();
    expect(b.service.loadedRecord(sessionId)).toMatchObject({ status: 'live', deadline: deadline + 5 * MINUTE });
    expect(await timerEvents()).toEqual(['start', 'add']);
    // At the new deadline both nodes' timers fire: one ends the session, one grading.
    clock.advance(5 * MINUTE);
    await a.service.idle();
    await b.service.idle();
    expect(await timerEvents()).toEqual(['start', 'add', 'deadline']);
    expect((await store.getSession(sessionId))?.status).toBe('ended');
    expect(grades).toBe(1);
    expect((await store.listRuns(sessionId)).filter((r) => r.kind === 'final')).toHaveLength(1);
    for (const n of nodes) expect(n.service.loadedRecord(sessionId)?.status).toBe('ended');
  });
});
