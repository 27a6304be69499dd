// Accounts over the wire, on SQLite and on PostgreSQL: the authorisation matrix (mentor A cannot
// list, open, end, archive, delete, share, compare or get the links of mentor B's interviews
// unless shared; the admin can), co-interviewers joining under their own name, disabling (cookie,
// token and open sockets), invites (expiry, reuse), CSRF, the audit log, retention, sign-in limits.
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { hashToken, newToken } from '../../server/src/sessions/tokens.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { session, tokens } from '../support/store-fixtures.ts';
import { Browser, inviteToken, team } from './accounts-helpers.ts';
import { connect, startServer, tempDir, until, type TestServer } from './helpers.ts';

const db = await createTestDatabase('the accounts integration tests on PostgreSQL');
afterAll(async () => {
  await db?.drop();
});

const stores: { name: string; url?: () => Promise<string> }[] = [{ name: 'SQLite' }];
if (db) stores.push({ name: 'PostgreSQL', url: () => db.schemaUrl(`accounts_${Math.random().toString(36).slice(2, 8)}`) });

describe.each(stores)('accounts on $name', ({ url }) => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close().catch(() => {});
  });
  const start = async () => {
    const s = await startServer({ databaseUrl: url ? await url() : undefined });
    servers.push(s);
    return s;
  };

  it('mentors see and act on their own and shared interviews only; the admin on all', async () => {
    const server = await start();
    const byKey = await server.createSession({ candidateName: 'Before Accounts' });
    const { admin, mentors } = await team(server, ['Ann', 'Bob', 'Cy']);
    const [ann, bob, cy] = mentors as [Browser, Browser, Browser];
    const create = async (b: Browser, candidateName: string) => {
      const r = await b.request('POST', '/api/sessions', { candidateName });
      expect(r.status).toBe(201);
      return r.body as SessionSummary;
    };
    const a = await create(ann, 'Alice');
    const b = await create(bob, 'Bert');
    const ids = async (who: Browser) => ((await who.request('GET', '/api/sessions?archived=all')).body as SessionSummary[]).map((s) => s.id).sort();

    // The first admin got the interview made before any account; each mentor sees their own.
    expect(await ids(ann)).toEqual([a.id]);
    expect(await ids(bob)).toEqual([b.id]);
    expect(await ids(admin)).toEqual([a.id, b.id, byKey.id].sort());
    expect(await server.store.accounts.ownerOf(byKey.id)).toBe((await admin.request('GET', '/api/auth/me')).body.id);

    // Bob cannot reach Ann's interview in any way: it looks like one that does not exist.
    const denied: [string, string, unknown?][] = [
      ['GET', `/api/sessions/${a.id}`],
      ['POST', `/api/sessions/${a.id}/end`],
      ['PATCH', `/api/sessions/${a.id}`, { archived: true }],
      ['DELETE', `/api/sessions/${a.id}`],
      ['GET', `/api/sessions/${a.id}/shares`],
      ['POST', `/api/sessions/${a.id}/shares`, { email: 'bob@example.org' }],
      ['GET', `/api/board/compare?a=${a.id}&b=${b.id}`],
    ];
    for (const [method, route, body] of denied) expect((await bob.request(method, route, body)).status, `${method} ${route}`).toBe(404);
    const board = await bob.request('GET', '/api/board?exercise=ring-buffer');
    expect(board.status).toBe(200);
    expect(board.body.rows.map((r: { sessionId: string }) => r.sessionId)).not.toContain(a.id);
    // Nor join it with the interviewer link (had he got it some other way) while signed in.
    await expect(connect(server.url, a.links.mentor, 'Bob', bob.cookie)).rejects.toThrow(/not shared/);
    expect(await server.store.getSession(a.id)).toMatchObject({ status: 'waiting', archivedAt: null });

    // Shared with Bob: he sees it, joins it under his account's name, may end it, may not delete or re-share it.
    expect((await ann.request('POST', `/api/sessions/${a.id}/shares`, { email: 'BOB@example.org' })).status).toBe(201);
    expect((await ann.request('GET', `/api/sessions/${a.id}/shares`)).body.map((x: { name: string }) => x.name)).toEqual(['Bob']);
    expect(await ids(bob)).toEqual([a.id, b.id].sort());
    expect((await bob.request('GET', `/api/sessions/${a.id}`)).body.links.mentor).toBe(a.links.mentor);
    const bobInRoom = await connect(server.url, a.links.mentor, 'Not Bob', bob.cookie);
    expect(bobInRoom.state!.participants.find((p) => p.role === 'mentor' && p.online)?.name).toBe('Bob');
    bobInRoom.close();
    expect((await bob.request('DELETE', `/api/sessions/${a.id}`)).status).toBe(403);
    expect((await bob.request('POST', `/api/sessions/${a.id}/shares`, { email: 'cy@example.org' })).status).toBe(403);
    // Only an admin gives an interview to someone else, even its owner may not.
    expect((await bob.request('POST', `/api/sessions/${b.id}/owner`, { email: 'cy@example.org' })).status).toBe(403);
    expect((await bob.request('POST', `/api/sessions/${a.id}/end`)).status).toBe(200);
    // Cy still sees nothing of it; a guest with the interviewer link (no sign-in) still joins.
    expect(await ids(cy)).toEqual([]);
    const guest = await connect(server.url, a.links.mentor, 'Guest');
    expect(guest.state!.role).toBe('mentor');
    guest.close();

    // The admin acts on anyone's interview; Ann may delete her own.
    expect((await admin.request('PATCH', `/api/sessions/${b.id}`, { archived: true })).status).toBe(200);
    expect((await admin.request('DELETE', `/api/sessions/${b.id}`)).status).toBe(204);
    const a2 = await create(ann, 'Alma');
    expect((await ann.request('DELETE', `/api/sessions/${a2.id}`)).status).toBe(204);

    // The audit log names who did what, for admins only, filtered.
    expect((await ann.request('GET', '/api/audit')).status).toBe(403);
    const created = (await admin.request('GET', '/api/audit?action=session.create')).body as { actorName: string; sessionId: string }[];
    expect(created.map((e) => [e.actorName, e.sessionId])).toEqual([
      ['Ann', a2.id],
      ['Bob', b.id],
      ['Ann', a.id],
      ['MENTOR_KEY', byKey.id],
    ]);
    const onA = (await admin.request('GET', `/api/audit?session=${a.id}`)).body as { actorName: string; action: string }[];
    expect(onA.map((e) => `${e.actorName} ${e.action}`)).toEqual(['Bob session.end', 'Ann session.share', 'Ann session.create']);
    expect((await admin.request('GET', '/api/audit?action=nonsense')).status).toBe(400);
  }, 60_000);

  it('a disabled account is refused at once: its cookie, its API token and its open sockets', async () => {
    const server = await start();
    const { admin, mentors } = await team(server, ['Dee']);
    const dee = mentors[0]!;
    const token = (await dee.request('POST', '/api/tokens', { name: 'ci script' })).body.token as string;
    expect((await server.http('GET', '/api/sessions', undefined, token)).status).toBe(200);
    const s = (await dee.request('POST', '/api/sessions', { candidateName: 'Eve' })).body as SessionSummary;
    const room = await connect(server.url, s.links.mentor, undefined, dee.cookie);
    const closed = new Promise<string>((resolve) => room.socket.once('disconnect', resolve));
    const me = (await dee.request('GET', '/api/auth/me')).body;

    expect((await admin.request('POST', `/api/accounts/${me.id}`, { disabled: true })).status).toBe(200);
    expect(await closed).toBe('io server disconnect');
    expect((await dee.request('GET', '/api/sessions')).status).toBe(401);
    expect((await server.http('GET', '/api/sessions', undefined, token)).status).toBe(401);
    await expect(connect(server.url, s.links.mentor, undefined, dee.cookie)).rejects.toThrow(/sign in again/);
    expect((await dee.login('dee@example.org', 'Dee has a long password')).status).toBe(401);
    // Its interviews stay, with the admin, who may give them to another account (not a disabled one).
    expect(((await admin.request('GET', '/api/sessions')).body as SessionSummary[]).map((x) => x.id)).toEqual([s.id]);
    const adminId = (await admin.request('GET', '/api/auth/me')).body.id as string;
    expect((await admin.request('POST', `/api/sessions/${s.id}/owner`, { email: 'dee@example.org' })).status).toBe(404);
    expect((await admin.request('POST', `/api/sessions/${s.id}/owner`, { email: 'admin@example.org' })).status).toBe(200);
    expect(await server.store.accounts.ownerOf(s.id)).toBe(adminId);
    expect((await admin.request('GET', '/api/audit?action=session.reassign')).body[0].detail).toEqual({ from: me.id, to: adminId, email: 'admin@example.org' });
    // An admin cannot lock themselves out.
    expect((await admin.request('POST', `/api/accounts/${(await admin.request('GET', '/api/auth/me')).body.id}`, { disabled: true })).status).toBe(409);
    expect((await dee.request('GET', '/api/accounts')).status).toBe(401);
    const actions = ((await admin.request('GET', '/api/audit?action=account.disable')).body as { detail: { email: string } }[]).map((e) => e.detail.email);
    expect(actions).toEqual(['dee@example.org']);
  }, 60_000);

  it('invites are single use and expire; passwords are checked; sign-in errors say nothing about the account', async () => {
    const server = await start();
    const { admin, mentors } = await team(server, ['Flo']);
    const flo = mentors[0]!;
    expect((await flo.request('POST', '/api/invites', { role: 'admin' })).status).toBe(403);
    const invite = inviteToken((await admin.request('POST', '/api/invites', { role: 'mentor' })).body.link);
    const guest = new Browser(server.url);
    expect((await guest.accept(invite, 'Gus', 'gus@example.org', 'short')).status).toBe(400);
    expect((await guest.accept(invite, 'Gus', 'gus@example.org', 'password123')).status).toBe(400);
    expect((await guest.accept(invite, 'Gus', 'FLO@example.org')).status).toBe(409);
    expect((await guest.accept(invite, 'Gus', 'gus@example.org')).status).toBe(201);
    expect((await new Browser(server.url).accept(invite, 'Hal', 'hal@example.org')).status).toBe(404);
    // An invite past its expiry creates nothing.
    const expired = newToken();
    await server.store.accounts.addInvite({ id: 'expired', hash: hashToken(expired), role: 'mentor', createdBy: 'x', createdAt: 1, expiresAt: Date.now() - 1, usedAt: null });
    expect((await new Browser(server.url).accept(expired, 'Hal', 'hal@example.org')).status).toBe(404);
    expect(await server.store.accounts.findAccountByEmail('hal@example.org')).toBeUndefined();

    const wrong = await new Browser(server.url).login('gus@example.org', 'not the password');
    const unknown = await new Browser(server.url).login('nobody@example.org', 'not the password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unknown.body);

    // Changing the password ends the other sign-ins.
    const other = new Browser(server.url);
    expect((await other.login('gus@example.org', 'Gus has a long password')).status).toBe(200);
    expect((await guest.request('POST', '/api/auth/password', { current: 'wrong password!', next: 'a new long password' })).status).toBe(403);
    expect((await guest.request('POST', '/api/auth/password', { current: 'Gus has a long password', next: 'a new long password' })).status).toBe(204);
    expect((await other.request('GET', '/api/auth/me')).body).toBeNull();
    expect((await guest.request('GET', '/api/auth/me')).status).toBe(200);
    expect((await guest.request('POST', '/api/auth/logout')).status).toBe(204);
    expect((await guest.request('GET', '/api/auth/me')).body).toBeNull();
  }, 60_000);

  it('refuses a state-changing request the cookie authorises without its CSRF token', async () => {
    const server = await start();
    const { mentors } = await team(server, ['Ivy']);
    const ivy = mentors[0]!;
    expect((await ivy.request('POST', '/api/sessions', { candidateName: 'Jo' }, { csrf: null })).status).toBe(403);
    expect((await ivy.request('POST', '/api/sessions', { candidateName: 'Jo' }, { csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await ivy.request('POST', '/api/tokens', { name: 'x' }, { csrf: null })).status).toBe(403);
    expect((await ivy.request('POST', '/api/auth/logout', undefined, { csrf: null })).status).toBe(403);
    expect((await ivy.request('GET', '/api/sessions', undefined, { csrf: null })).status).toBe(200);
    expect(await server.store.listSessions()).toEqual([]);
    expect((await ivy.request('POST', '/api/sessions', { candidateName: 'Jo' })).status).toBe(201);
  }, 60_000);

  it('retention: admins set it, the sweep deletes sessions ended longer ago, and says so in the audit log', async () => {
    const server = await start();
    const { admin, mentors } = await team(server, ['Ola']);
    const ola = mentors[0]!;
    expect((await ola.request('GET', '/api/settings/retention')).body).toEqual({ days: null });
    expect((await ola.request('PUT', '/api/settings/retention', { days: 30 })).status).toBe(403);
    expect((await admin.request('PUT', '/api/settings/retention', { days: 0 })).status).toBe(400);
    // An ended interview and an ended practice attempt as the store holds them (no grading in flight).
    const endedAt = Date.now();
    const ended = { id: 'ended-interview' },
      attempt = { id: 'ended-attempt' };
    await server.store.createSession(
      session(ended.id, endedAt - 60_000, { status: 'ended', startedAt: endedAt - 50_000, deadline: endedAt, endedAt }),
      tokens(ended.id),
      new Uint8Array([0]),
    );
    await server.store.createSession(
      session(attempt.id, endedAt - 60_000, { mode: 'practice', owner: 'browser', status: 'ended', startedAt: endedAt - 50_000, deadline: endedAt, endedAt }),
      tokens(attempt.id),
      new Uint8Array([0]),
    );
    const waiting = (await ola.request('POST', '/api/sessions', { candidateName: 'Waiting' })).body as SessionSummary;
    const DAY = 86_400_000;
    // Off by default: nothing is deleted however old.
    expect(await server.app.retention.sweep(Date.now() + 1000 * DAY)).toBe(0);
    expect((await admin.request('PUT', '/api/settings/retention', { days: 30 })).status).toBe(200);
    expect((await ola.request('GET', '/api/settings/retention')).body).toEqual({ days: 30 });
    expect(await server.app.retention.sweep(endedAt + 29 * DAY)).toBe(0);
    expect(await server.app.retention.sweep(endedAt + 31 * DAY)).toBe(2);
    expect(await server.store.getSession(ended.id)).toBeUndefined();
    expect(await server.store.getSession(attempt.id)).toBeUndefined();
    expect(await server.store.getSession(waiting.id)).toBeDefined();
    const log = (await admin.request('GET', '/api/audit?action=session.retention-delete')).body as { actorName: string; sessionId: string }[];
    expect(log.map((e) => [e.actorName, e.sessionId]).sort()).toEqual([
      ['server', attempt.id],
      ['server', ended.id],
    ]);
    expect(((await admin.request('GET', '/api/audit?action=settings.retention')).body as { detail: unknown }[]).map((e) => e.detail)).toEqual([{ days: 30 }]);
  }, 60_000);

  it('limits failed sign-ins per account and per address', async () => {
    const server = await start();
    await team(server, ['Kim']);
    const b = new Browser(server.url);
    for (let i = 0; i < 5; i++) expect((await b.login('kim@example.org', 'wrong password')).status).toBe(401);
    // Even the right password waits now: the account is being guessed.
    const limited = await b.login('kim@example.org', 'Kim has a long password');
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/try again in \d+ minute/);
    // The address too: 20 failures over any accounts.
    for (let i = 0; i < 15; i++) expect((await b.login(`guess${i}@example.org`, 'wrong password')).status).toBe(401);
    expect((await b.login('admin@example.org', 'Admin has a long password')).status).toBe(429);
  }, 60_000);
});

describe.skipIf(!db)('accounts on two nodes', () => {
  it('a sign-in made on one node is valid on the other, and a disable there ends it', async () => {
    const databaseUrl = await db!.schemaUrl('accounts_nodes');
    // Nodes share DATA_DIR's keys (as they share the link key in production).
    const dataDir = tempDir();
    const one = await startServer({ databaseUrl, dataDir });
    const two = await startServer({ databaseUrl, dataDir });
    try {
      const { admin, mentors } = await team(one, ['Lee']);
      const lee = mentors[0]!;
      const onTwo = Object.assign(new Browser(two.url), { cookie: lee.cookie, csrf: lee.csrf });
      const created = await onTwo.request('POST', '/api/sessions', { candidateName: 'Max' });
      expect(created.status).toBe(201);
      const listed = await lee.request('GET', '/api/sessions');
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      expect((listed.body as SessionSummary[]).map((s) => s.id)).toEqual([created.body.id]);
      const id = (await lee.request('GET', '/api/auth/me')).body.id;
      expect((await admin.request('POST', `/api/accounts/${id}`, { disabled: true })).status).toBe(200);
      await until(async () => (await onTwo.request('GET', '/api/sessions')).status === 401, 5_000, 'the other node to refuse the sign-in');
    } finally {
      await one.close({ keepData: true });
      await two.close();
    }
  }, 60_000);
});
