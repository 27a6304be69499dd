// Accounts on two server nodes (child processes) sharing the database and Redis: the first
// start's setup link printed by one node makes the admin, a sign-in made on one node works on the
// other, and disabling the account on one node closes its room connection held by the other.
// Skipped (with a message) without TEST_REDIS_URL; see tests/support/cluster.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { ClusterRig, clusterUnavailable, type NodeProc } from '../support/cluster.ts';
import { Browser, inviteToken } from './accounts-helpers.ts';
import { connect, until, type YClient } from './helpers.ts';

const skip = clusterUnavailable() !== null;
let rig: ClusterRig;
let a: NodeProc;
let b: NodeProc;
const clients: YClient[] = [];

beforeAll(async () => {
  if (skip) return;
  rig = await new ClusterRig().start();
  [a, b] = await Promise.all([rig.node(), rig.node()]);
}, 120_000);

afterAll(async () => {
  for (const c of clients) c.close();
  await rig?.close();
});

describe.skipIf(skip)('accounts on two nodes', () => {
  it('signs in on one node, works on the other, and a disable closes the sockets on both', async () => {
    let setup: string | undefined;
    await until(() => (setup = /#invite=([A-Za-z0-9_-]{43})/.exec(a.output())?.[1]) !== undefined, 30_000, 'the setup link');
    const admin = new Browser(a.url);
    expect((await admin.accept(setup!, 'Admin', 'admin@example.org')).status).toBe(201);
    const invite = await admin.request('POST', '/api/invites', { role: 'mentor' });
    const onA = new Browser(a.url);
    expect((await onA.accept(inviteToken(invite.body.link), 'Pat', 'pat@example.org')).status).toBe(201);
    // The same browser on the other node: its cookie and CSRF token are valid there too.
    const onB = Object.assign(new Browser(b.url), { cookie: onA.cookie, csrf: onA.csrf });
    const created = await onB.request('POST', '/api/sessions', { candidateName: 'Quinn' });
    expect(created.status).toBe(201);
    const s = created.body as SessionSummary;
    expect(((await onA.request('GET', '/api/sessions')).body as SessionSummary[]).map((x) => x.id)).toEqual([s.id]);

    const inRoom = await connect(b.url, s.links.mentor, 'Someone', onB.cookie);
    clients.push(inRoom);
    expect(inRoom.state!.participants.find((p) => p.role === 'mentor' && p.online)?.name).toBe('Pat');
    const closed = new Promise<string>((resolve) => inRoom.socket.once('disconnect', resolve));
    const id = (await onA.request('GET', '/api/auth/me')).body.id as string;
    expect((await admin.request('POST', `/api/accounts/${id}`, { disabled: true })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await onB.request('GET', '/api/sessions')).status).toBe(401);
  }, 120_000);
});
