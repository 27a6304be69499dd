// The call with two server nodes on one Redis: members connected to different nodes see each other
// in the call (the socket.io room through the adapter), signals cross nodes to a member and only to
// a member, and a leave on one node reaches the other. Skipped (with a message) without
// TEST_REDIS_URL; see tests/support/cluster.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallJoined, CallMember } from '../../common/call.ts';
import type { Result, SessionSummary } from '../../common/protocol.ts';
import { SessionAdmin } from '../../server/src/sessions/admin.ts';
import { systemClock } from '../../server/src/sessions/timer.ts';
import { loadKeys } from '../../server/src/sessions/tokens.ts';
import type { Store } from '../../server/src/store/types.ts';
import { ClusterRig, MENTOR_KEY, clusterUnavailable, type NodeProc } from '../support/cluster.ts';
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
  store = await openRigStore(rig);
  admin = new SessionAdmin({ store, catalog: await exercises(), clock: systemClock, keys: loadKeys(rig.dataDir, MENTOR_KEY), loadedRecord: () => undefined });
}, 120_000);

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
const session = (): Promise<SessionSummary> => admin.create({ candidateName: 'Ada', minutes: 30 });
const join = (c: YClient) => c.socket.timeout(5000).emitWithAck('call:join', { audio: true, video: true }) as Promise<Result<CallJoined>>;
const offer = (c: YClient, to: string) => c.socket.timeout(5000).emitWithAck('call:signal', { to, description: { type: 'offer', sdp: 'v=0\r\n' } });

describe.skipIf(skip)('the call on two server nodes', () => {
  it('members on different nodes see and signal each other, and nobody else', async () => {
    const s = await session();
    const other = await session();
    const mentor = await client(b.url, s.links.mentor, 'Grace');
    const candidate = await client(a.url, s.links.candidate);
    const outsider = await client(b.url, other.links.mentor, 'Olga');
    const bystander = await client(a.url, s.links.mentor, 'Linus');

    expect((await join(mentor)).ok).toBe(true);
    const heard = mentor.next<[CallMember]>('call:joined');
    const joined = await join(candidate);
    // The candidate on node A finds the mentor of node B in the call.
    expect(joined.ok && joined.value.members.map((m) => [m.peerId, m.name])).toEqual([[mentor.socket.id, 'Grace']]);
    expect((await heard)[0].peerId).toBe(candidate.socket.id);
    expect((await join(outsider)).ok).toBe(true);

    // A → B: delivered to the member.
    const got = mentor.next<[{ from: string }]>('call:signal');
    expect(await offer(candidate, mentor.socket.id!)).toEqual({ ok: true, value: null });
    expect((await got)[0].from).toBe(candidate.socket.id);
    // To a connection of the same session that is not in the call, on the other node; to another session's member.
    expect(await offer(mentor, bystander.socket.id!)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await offer(candidate, outsider.socket.id!)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await offer(outsider, candidate.socket.id!)).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // The candidate's connection closes on A: the mentor on B hears it left.
    const left = mentor.next<[string]>('call:left');
    const gone = candidate.socket.id;
    candidate.close();
    expect((await left)[0]).toBe(gone);
    await until(async () => (await store.listEvents(s.id)).filter((e) => e.type === 'call').length === 3, 10_000, 'three call events');
    expect(bystander.events.filter((e) => e.event.startsWith('call:'))).toEqual([]);
    expect(outsider.events.filter((e) => e.event.startsWith('call:'))).toEqual([]);
  }, 60_000);
});
