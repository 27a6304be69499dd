// Runs on the shared job queue (BullMQ): two server nodes that do not grade themselves and
// runner-only workers (`npm run worker`). A run asked on one node is graded by a worker and
// announced on both; one run per session at a time across nodes; a worker killed mid-job has its
// job retried on another worker and the run still completes, stored once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunQueued, RunView, SessionSummary } from '../../common/protocol.ts';
import { ClusterRig, MENTOR_KEY, clusterUnavailable, type NodeProc } from '../support/cluster.ts';
import { openRigStore } from '../support/cluster-store.ts';
import type { Store } from '../../server/src/store/types.ts';
import { connect, exercises, startSession, until, type YClient } from './helpers.ts';

const skip = clusterUnavailable() !== null;
let rig: ClusterRig;
let store: Store;
let a: NodeProc;
let b: NodeProc;
const clients: YClient[] = [];

beforeAll(async () => {
  if (skip) return;
  rig = await new ClusterRig({ GRADE_ON_SERVER: 'false' }).start();
  [a, b] = await Promise.all([rig.node(), rig.node()]);
  store = await openRigStore(rig);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await store?.close();
  await rig?.close();
});

async function session(url: string): Promise<SessionSummary> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ candidateName: 'Ada' }),
  });
  expect(res.status).toBe(201);
  const s = (await res.json()) as SessionSummary;
  await startSession(url, s);
  return s;
}

async function client(url: string, link: string, name?: string): Promise<YClient> {
  const c = await connect(url, link, name);
  clients.push(c);
  return c;
}

describe.skipIf(skip)('runs on the job queue', () => {
  it('are graded by a worker, one per session across nodes, and survive a worker killed mid-job', async () => {
    const exercise = (await exercises()).defaultExercise;
    const s = await session(a.url);
    const cand = await client(a.url, s.links.candidate);
    const mentor = await client(b.url, s.links.mentor, 'Grace');
    expect(
      (
        await cand.edit((t) => {
          t.delete(0, t.length);
          t.insert(0, exercise.solution);
        })
      ).ok,
    ).toBe(true);
    await until(() => mentor.text.toString() === exercise.solution, 20_000, 'the solution on node B');

    // Only one worker: the job sits on it. Kill it as soon as it holds the job.
    const first = await rig.worker();
    const result = mentor.next<[RunView]>('run:result', () => true, 120_000);
    const asked = await cand.socket.timeout(5000).emitWithAck('run:request');
    expect(asked.ok).toBe(true);
    // The same session asks again from the other node while the run is in flight: refused.
    expect(await mentor.socket.timeout(5000).emitWithAck('run:request')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const activeKey = `${rig.prefix}bull:grades:active`;
    await until(async () => (await rig.redis.llen(activeKey)) > 0, 60_000, 'the worker to take the job');
    await first.kill9();
    const jobId = await rig.redis.lindex(activeKey, 0);

    // Another worker comes; the stalled job is retried there and the run completes.
    const second = await rig.worker();
    const [run] = await result;
    if (run.status !== 'ok') console.error('the run after the worker was killed:', run, first.output(), second.output());
    expect(run).toMatchObject({ kind: 'manual', status: 'ok', total: exercise.cases.length });
    expect(run.passed).toBe(run.total); // the mentor's view: hidden cases included
    // It was the killed worker's job, started a second time (BullMQ's attemptsStarted).
    expect(await rig.redis.hmget(`${rig.prefix}bull:grades:${jobId}`, 'ats', 'stc')).toEqual(['2', '1']);
    const runs = await store.listRuns(s.id);
    expect(runs.filter((r) => r.kind === 'manual')).toHaveLength(1);

    // Runs go on with the new worker, and the queue position reaches the clients. (New code: a
    // re-run of graded code would be answered from the worker's grade cache before it showed as running.)
    expect((await cand.edit((t) => t.insert(t.length, '\n// edited after the first run\n'))).ok).toBe(true);
    await until(() => mentor.text.toString().includes('edited after the first run'), 20_000, 'the edit on node B');
    const positions: number[] = [];
    cand.socket.on('run:queued', (q: RunQueued) => positions.push(q.position));
    const again = cand.next<[RunView]>('run:result', (r) => r.id !== run.id, 60_000);
    expect((await mentor.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    expect((await again)[0]).toMatchObject({ kind: 'manual', status: 'ok', requestedBy: 'Grace' });
    expect(positions).toContain(0);
  });
});
