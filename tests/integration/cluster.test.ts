// Two server nodes (child processes) on one database and one Redis: a session whose clients sit on
// different nodes converges and sees each other's cursors, notes, runs and timer; the deadline
// fires once and the final grading is stored once; kill -9 of the session's owner mid-typing
// loses no acknowledged edit, the clients move to the other node and its timer still ends the
// session. Skipped (with a message) without TEST_REDIS_URL; see tests/support/cluster.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Note, RunView, SessionStatus, SessionSummary, TimerView } from '../../common/protocol.ts';
import { storedTextAt } from '../../server/src/history/stored.ts';
import { SessionAdmin } from '../../server/src/sessions/admin.ts';
import { systemClock } from '../../server/src/sessions/timer.ts';
import { loadKeys } from '../../server/src/sessions/tokens.ts';
import type { Store } from '../../server/src/store/types.ts';
import { ClusterRig, MENTOR_KEY, clusterUnavailable, isProcess, type NodeProc } from '../support/cluster.ts';
import { openRigStore } from '../support/cluster-store.ts';
import { connect, exercises, until, type YClient } from './helpers.ts';

const skip = clusterUnavailable() !== null;
let rig: ClusterRig;
let store: Store;
let admin: SessionAdmin;
let a: NodeProc;
let b: NodeProc;
const clients: YClient[] = [];

beforeAll(async () => {
  if (skip) return;
  rig = await new ClusterRig().start();
  [a, b] = await Promise.all([rig.node(), rig.node()]);
  // Under CI the nodes share PostgreSQL (TEST_DATABASE_URL), as a real deployment does.
  // The 'store opened' log line names the store; it may arrive in a later chunk than 'listening on'.
  const storeLine = () => /store opened.*?"?store"?:\s*"?(PostgreSQL|SQLite)/.exec(a.output())?.[1];
  await until(() => storeLine() !== undefined, 30_000, 'the store line');
  expect(storeLine()).toBe(rig.databaseUrl ? 'PostgreSQL' : 'SQLite');
  store = await openRigStore(rig);
  const keys = loadKeys(rig.dataDir, MENTOR_KEY);
  admin = new SessionAdmin({ store, catalog: await exercises(), clock: systemClock, keys, loadedRecord: () => undefined });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await store?.close();
  await rig?.close();
});

async function client(url: string, link: string, name?: string): Promise<YClient> {
  const c = await connect(url, link, name);
  clients.push(c);
  return c;
}

/** A session created straight in the shared store, so that it may last seconds (the API's minimum is minutes). */
function session(seconds: number): Promise<SessionSummary> {
  return admin.create({ candidateName: 'Ada', minutes: seconds / 60 });
}

const timerEnds = (c: YClient) => c.events.filter((e) => e.event === 'timer:update' && e.args[1] === 'ended').length;

describe.skipIf(skip)('two server nodes', () => {
  it('converge on one session whose clients sit on different nodes', async () => {
    const s = await session(600);
    const mentor = await client(b.url, s.links.mentor, 'Grace');
    const cand = await client(a.url, s.links.candidate);
    const mentor2 = await client(a.url, s.links.mentor, 'Linus');

    // The timer started on node B reaches the candidate on node A.
    const seen = cand.next<[TimerView, SessionStatus]>('timer:update');
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    expect((await seen)[1]).toBe('live');

    // Both type at once, each on their own node; each acknowledged edit builds on the other's.
    const acks = [];
    for (let i = 0; i < 40; i++) {
      acks.push(cand.edit((t) => t.insert(t.length, `/*c${i}*/`)));
      acks.push(mentor.edit((t) => t.insert(0, `/*m${i}*/`)));
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 50));
    }
    const results = await Promise.all(acks);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    await until(() => cand.text.toString() === mentor.text.toString() && mentor2.text.toString() === cand.text.toString(), 30_000, 'convergence');
    const text = cand.text.toString();
    for (let i = 0; i < 40; i++) expect(text).toContain(`/*c${i}*/`);
    for (let i = 0; i < 40; i++) expect(text).toContain(`/*m${i}*/`);
    expect(await storedTextAt(store, s.id, Number.MAX_SAFE_INTEGER)).toBe(text);

    // A client joining on either node gets the same document.
    expect((await client(b.url, s.links.observer, 'Obs')).text.toString()).toBe(text);

    // Cursors: the mentor's awareness on B reaches the candidate on A with the server's name.
    mentor.awareness.setLocalState({ cursor: { anchor: 1 } });
    const update = (await import('y-protocols/awareness')).encodeAwarenessUpdate(mentor.awareness, [mentor.awareness.clientID]);
    mentor.socket.emit('awareness:update', update);
    await until(() => (cand.awareness.getStates().get(mentor.awareness.clientID) as { user?: { name?: string } } | undefined)?.user?.name === 'Grace', 5000, 'cursor');

    // A note taken on B reaches the mentor on A (mentors only).
    const noted = mentor2.next<[Note]>('note:added');
    expect((await mentor.socket.timeout(5000).emitWithAck('note:add', { text: 'talks through edge cases' })).ok).toBe(true);
    expect((await noted)[0].text).toBe('talks through edge cases');

    // A run asked on A is announced on B.
    const result = mentor.next<[RunView]>('run:result', () => true, 60_000);
    expect((await cand.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    expect((await result)[0]).toMatchObject({ kind: 'manual', status: 'ok', requestedBy: 'Ada' }); // the starter, commented: it compiles
  });

  it('fires the deadline once and stores the final grading once', async () => {
    const exercise = (await exercises()).defaultExercise;
    const s = await session(10);
    const mentor = await client(b.url, s.links.mentor);
    const cand = await client(a.url, s.links.candidate);
    const watcher = await client(a.url, s.links.observer, 'Watcher');
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    expect(
      (
        await cand.edit((t) => {
          t.delete(0, t.length);
          t.insert(0, exercise.solution);
        })
      ).ok,
    ).toBe(true);

    const finalSeen = mentor.next<[RunView]>('run:result', (r) => r.kind === 'final', 90_000);
    await until(() => timerEnds(cand) > 0 && timerEnds(mentor) > 0, 20_000, 'the deadline');
    expect((await finalSeen)[0]).toMatchObject({ status: 'ok', passed: exercise.cases.length, total: exercise.cases.length });
    // An edit after the deadline is refused on both nodes.
    expect(await cand.edit((t) => t.insert(0, '// late\n'))).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    // Give a second deadline or grading time to happen, then count.
    await new Promise((r) => setTimeout(r, 3_000));
    const events = await store.listEvents(s.id);
    expect(events.filter((e) => e.type === 'deadline' || e.type === 'end')).toHaveLength(1);
    expect((await store.listRuns(s.id)).filter((r) => r.kind === 'final')).toHaveLength(1);
    for (const c of [mentor, cand, watcher]) expect(timerEnds(c)).toBe(1);
    expect(mentor.events.filter((e) => e.event === 'run:result' && (e.args[0] as RunView).kind === 'final')).toHaveLength(1);
  });

  it('kill -9 of the owner loses no acknowledged edit; the other node takes the session over and ends it', async () => {
    const s = await session(25);
    // Start from node A, then find which node holds the lease: clients of both sit on the owner.
    const starter = await client(a.url, s.links.mentor, 'Starter');
    expect((await starter.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    await until(async () => (await rig.owner(s.id)) !== null, 20_000, 'an owner');
    const ownerId = await rig.owner(s.id);
    const [owner, other] = isProcess(ownerId, a) ? [a, b] : [b, a];
    expect(isProcess(ownerId, owner)).toBe(true);
    const cand = await client(owner.url, s.links.candidate);
    const mentor = await client(other.url, s.links.mentor, 'Grace');

    // Typing; the owner dies in the middle of it. Every acknowledged edit must survive.
    const acked: string[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const mark = `/*k${i}*/`;
      // Edits made offline "succeed" locally (kept for the next sync): only server acks count.
      const online = cand.socket.connected;
      const sent = cand.edit((t) => t.insert(t.length, mark)).then((r) => void (r.ok && online && acked.push(mark)));
      pending.push(sent);
      // The first 30 are typed one ack at a time (so a loaded machine still has them acked before
      // the kill); then the owner dies with edits in flight.
      if (i < 30) await sent;
      else if (i === 30) await owner.kill9();
      else await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(pending);
    expect(acked.length).toBeGreaterThanOrEqual(25);

    // The candidate reconnects to the surviving node: every acknowledged edit is there, and typing goes on.
    const again = await client(other.url, s.links.candidate);
    for (const mark of acked) expect(again.text.toString()).toContain(mark);
    expect((await again.edit((t) => t.insert(t.length, '/*after*/'))).ok).toBe(true);
    await until(() => mentor.text.toString().includes('/*after*/'), 20_000, 'the edit after the takeover');

    // The survivor takes the lease and its timer ends the session at the deadline, once, graded once.
    await until(async () => isProcess(await rig.owner(s.id), other), 15_000, 'the takeover');
    await until(() => timerEnds(mentor) > 0, 40_000, 'the deadline after the takeover');
    await until(async () => (await store.listRuns(s.id)).some((r) => r.kind === 'final'), 90_000, 'the final grading');
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await store.listEvents(s.id)).filter((e) => e.type === 'deadline' || e.type === 'end')).toHaveLength(1);
    expect((await store.listRuns(s.id)).filter((r) => r.kind === 'final')).toHaveLength(1);
    expect(timerEnds(mentor)).toBe(1);
  });
});
