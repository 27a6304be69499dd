// The dashboard's HTTP routes over a real server: search, end, archive and delete, who may call
// them, how bad ids and bodies are answered, and what ending and deleting do to a live room.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { PostgresStore } from '../../server/src/store/postgres.ts';
import { SqliteStore } from '../../server/src/store/sqlite.ts';
import { connect, startServer, testRunner, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

/** Rows of every table that has a session_id column, for one session (SQLite or PostgreSQL). */
async function rowsOf(server: TestServer, sessionId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // The audit log is the one table that keeps a deleted session's id: who deleted it, and when (checked below).
  const keyOf = (table: string, columns: string[]) => (table === 'sessions' ? 'id' : table !== 'audit_log' && columns.includes('session_id') ? 'session_id' : null);
  const store = server.store;
  if (store instanceof SqliteStore) {
    const db = store.db;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    for (const t of tables) {
      const key = keyOf(
        t,
        (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name),
      );
      if (key) out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE ${key} = ?`).get(sessionId) as { n: number }).n;
    }
  } else if (store instanceof PostgresStore) {
    const columns = await store.pool.query<{ table_name: string; column_name: string }>(
      'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()',
    );
    const byTable = new Map<string, string[]>();
    for (const c of columns.rows) byTable.set(c.table_name, [...(byTable.get(c.table_name) ?? []), c.column_name]);
    for (const [t, cols] of byTable) {
      const key = keyOf(t, cols);
      if (key) out[t] = Number((await store.pool.query(`SELECT COUNT(*) AS n FROM ${t} WHERE ${key} = $1`, [sessionId])).rows[0].n);
    }
  } else {
    throw new Error('rowsOf counts rows in SQLite or PostgreSQL only');
  }
  return out;
}

async function practiceCookie(server: TestServer): Promise<string> {
  const res = await fetch(`${server.url}/api/practice/exercises`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('no practice cookie');
  return cookie;
}

describe('dashboard routes: who may call them, bad input', () => {
  let server: TestServer;
  let session: SessionSummary;
  beforeAll(async () => {
    server = await startServer();
    session = await server.createSession({ candidateName: 'Grace Hopper' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('only the mentor key may search, end, archive or delete', async () => {
    const cookie = await practiceCookie(server);
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/sessions?candidate=grace'],
      ['GET', `/api/sessions?archived=all`],
      ['POST', `/api/sessions/${session.id}/end`],
      ['PATCH', `/api/sessions/${session.id}`, { archived: true }],
      ['DELETE', `/api/sessions/${session.id}`],
    ];
    const callers: Array<[string, Record<string, string>]> = [
      ['nobody', {}],
      ['a wrong key', { authorization: 'Bearer not-the-mentor-key-at-all' }],
      ['the interviewer link', { authorization: `Bearer ${tokenOf(session.links.mentor)}` }],
      ['the candidate link', { authorization: `Bearer ${tokenOf(session.links.candidate)}` }],
      ['the observer link', { authorization: `Bearer ${tokenOf(session.links.observer)}` }],
      ['the review link', { authorization: `Bearer ${tokenOf(session.links.review)}` }],
      ['a practice cookie', { cookie }],
    ];
    for (const [method, route, body] of routes) {
      for (const [who, headers] of callers) {
        const res = await fetch(server.url + route, {
          method,
          headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        expect(res.status, `${method} ${route} by ${who}`).toBe(401);
        expect(((await res.json()) as any).error.code).toBe('unauthorized');
      }
    }
    // Nothing happened to the session.
    const s = await server.http('GET', `/api/sessions/${session.id}`);
    expect(s.body).toMatchObject({ status: 'waiting', archivedAt: null });
  });

  it('answers malformed ids, unknown ids and bad bodies with clear errors', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/api/sessions/bad%20id!/end', undefined, 400, /session id is malformed/],
      ['PATCH', `/api/sessions/${'x'.repeat(65)}`, { archived: true }, 400, /session id is malformed/],
      ['DELETE', '/api/sessions/no.such', undefined, 400, /session id is malformed/],
      ['POST', '/api/sessions/NoSuchSession/end', undefined, 404, /No such session/],
      ['PATCH', '/api/sessions/NoSuchSession', { archived: true }, 404, /No such session/],
      ['DELETE', '/api/sessions/NoSuchSession', undefined, 404, /No such session/],
      ['PATCH', `/api/sessions/${session.id}`, { archived: 'yes' }, 400, /archived: archived must be true or false/],
      ['PATCH', `/api/sessions/${session.id}`, {}, 400, /archived/],
      ['PATCH', `/api/sessions/${session.id}`, { archived: true, owner: 'me' }, 400, /owner/],
      ['PATCH', `/api/sessions/${session.id}`, '{"archived": tru', 400, /not valid JSON/],
      ['POST', `/api/sessions/${session.id}/end`, { now: true }, 400, /Invalid body/],
      ['DELETE', `/api/sessions/${session.id}`, { really: true }, 400, /Invalid body/],
      ['GET', '/api/sessions?archived=maybe', undefined, 400, /archived must be 'false', 'true' or 'all'/],
      ['GET', '/api/sessions?candidate=a&candidate=b', undefined, 400, /candidate must be given once/],
      ['GET', `/api/sessions?candidate=${'z'.repeat(81)}`, undefined, 400, /at most 80 characters/],
      ['GET', '/api/sessions?status=live', undefined, 400, /status/],
    ];
    for (const [method, route, body, status, message] of cases) {
      const r = await server.http(method, route, body);
      expect(r.status, `${method} ${route}`).toBe(status);
      expect(r.body.error.message, `${method} ${route}`).toMatch(message);
    }
    expect((await server.http('GET', `/api/sessions/${session.id}`)).body.status).toBe('waiting');
  });

  it("a practice attempt is not the mentor's: answered like a missing session", async () => {
    const cookie = await practiceCookie(server);
    const res = await fetch(`${server.url}/api/practice/attempts`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: session.exercise.slug }),
    });
    expect(res.status).toBe(201);
    const attempt = (await res.json()) as { id: string };
    expect((await server.http('DELETE', `/api/sessions/${attempt.id}`)).status).toBe(404);
    expect((await server.http('PATCH', `/api/sessions/${attempt.id}`, { archived: true })).status).toBe(404);
    expect((await server.http('POST', `/api/sessions/${attempt.id}/end`)).status).toBe(404);
    expect((await server.store.getSession(attempt.id))?.status).toBe('waiting');
  });

  it('searches by candidate (case and accents ignored) and filters archived ones', async () => {
    const zoe = await server.createSession({ candidateName: 'Zoë Durand' });
    const zoe2 = await server.createSession({ candidateName: 'zoe durand' });
    const other = await server.createSession({ candidateName: 'Alan Turing' });
    const ids = (r: { body: SessionSummary[] }) => r.body.map((s) => s.id);
    expect(ids(await server.http('GET', '/api/sessions?candidate=ZOE'))).toEqual([zoe2.id, zoe.id]);
    expect(ids(await server.http('GET', '/api/sessions?candidate=%20tur'))).toEqual([other.id]);
    expect(ids(await server.http('GET', '/api/sessions?candidate=nobody'))).toEqual([]);

    // Someone is in the room (the session is loaded): the summaries must still say archived.
    const c = await connect(server.url, zoe.links.candidate);
    const archived = await server.http('PATCH', `/api/sessions/${zoe.id}`, { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).toEqual(expect.any(Number));
    expect(ids(await server.http('GET', '/api/sessions?candidate=zoe'))).toEqual([zoe2.id]);
    const listed = await server.http('GET', '/api/sessions?candidate=zoe&archived=true');
    expect(ids(listed)).toEqual([zoe.id]);
    expect(listed.body[0].archivedAt).toBe(archived.body.archivedAt);
    expect(ids(await server.http('GET', '/api/sessions?candidate=zoe&archived=all'))).toEqual([zoe2.id, zoe.id]);
    expect(ids(await server.http('GET', '/api/sessions'))).not.toContain(zoe.id);
    // An archived session's links still work.
    c.close();
    const again = await connect(server.url, zoe.links.candidate);
    expect(again.state?.candidateName).toBe('Zoë Durand');
    again.close();

    const back = await server.http('PATCH', `/api/sessions/${zoe.id}`, { archived: false });
    expect(back.body.archivedAt).toBeNull();
    expect(ids(await server.http('GET', '/api/sessions'))).toContain(zoe.id);
  });

  it('refuses to archive an interview in progress', async () => {
    const s = await server.createSession({}, { start: true });
    const r = await server.http('PATCH', `/api/sessions/${s.id}`, { archived: true });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/in progress; end it before archiving/);
  });
});

describe('ending and deleting a session with people in the room', () => {
  let server: TestServer;
  const runner = testRunner();
  const open: YClient[] = [];
  beforeAll(async () => {
    server = await startServer({ runner });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server.close();
    await runner.close();
  });

  it('ending from the dashboard ends the room and grades the final code once', async () => {
    const s = await server.createSession({ candidateName: 'Ada' }, { start: true });
    const candidate = await connect(server.url, s.links.candidate);
    const mentor = await connect(server.url, s.links.mentor, 'Mentor');
    open.push(candidate, mentor);
    expect((await candidate.edit((t) => t.insert(0, '// my answer\n'))).ok).toBe(true);

    // The room's "End now" and the dashboard's End at the same moment: one wins, one final grading.
    const [viaHttp, viaRoom] = await Promise.all([server.http('POST', `/api/sessions/${s.id}/end`), mentor.socket.timeout(10_000).emitWithAck('session:end')]);
    const httpWon = viaHttp.status === 200;
    expect(httpWon !== viaRoom.ok, `http ${viaHttp.status}, room ${JSON.stringify(viaRoom)}`).toBe(true);
    if (httpWon) expect(viaHttp.body).toMatchObject({ id: s.id, status: 'ended', endedAt: expect.any(Number) });
    else expect(viaHttp.body.error.code).toBe('session_ended');

    await until(() => candidate.events.some((e) => e.event === 'timer:update' && e.args[1] === 'ended'), 10_000, 'the candidate sees the end');
    await until(() => candidate.events.some((e) => e.event === 'run:result' && (e.args[0] as any).kind === 'final'), 120_000, 'the final grading');
    await server.app.sessions.idle();
    const finals = (await server.store.listRuns(s.id)).filter((r) => r.kind === 'final');
    expect(finals).toHaveLength(1);
    expect(finals[0]!.source).toContain('// my answer');
    expect(candidate.events.filter((e) => e.event === 'run:result')).toHaveLength(1);

    // Ending again is refused and grades nothing more.
    const again = await server.http('POST', `/api/sessions/${s.id}/end`);
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'session_ended', message: 'This interview has already ended.' });
    await server.app.sessions.idle();
    expect((await server.store.listRuns(s.id)).filter((r) => r.kind === 'final')).toHaveLength(1);
  }, 180_000);

  it('ending an interview nobody started, with nobody connected, grades the starter once and unloads it', async () => {
    const s = await server.createSession({ candidateName: 'Brian' });
    const r = await server.http('POST', `/api/sessions/${s.id}/end`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ended', startedAt: null });
    await server.app.sessions.idle();
    expect((await server.store.listRuns(s.id)).filter((x) => x.kind === 'final')).toHaveLength(1);
    expect(server.app.sessions.loadedRecord(s.id)).toBeUndefined();
  }, 120_000);

  it('deleting removes every row, closes the live room and its links stop working', async () => {
    const s = await server.createSession({ candidateName: 'Dennis' }, { start: true });
    const candidate = await connect(server.url, s.links.candidate);
    const mentor = await connect(server.url, s.links.mentor, 'Mentor');
    const observer = await connect(server.url, s.links.observer, 'Watcher');
    open.push(candidate, mentor, observer);
    expect((await candidate.edit((t) => t.insert(0, 'int x;\n'))).ok).toBe(true);
    expect((await mentor.socket.timeout(5000).emitWithAck('note:add', { text: 'good start' })).ok).toBe(true);
    expect((await candidate.socket.timeout(5000).emitWithAck('signal:report', { kind: 'paste', chars: 300, lines: 4 })).ok).toBe(true);
    expect((await candidate.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    await until(() => candidate.events.some((e) => e.event === 'run:result'), 120_000, 'the run');
    await server.app.sessions.idle();
    const before = await rowsOf(server, s.id);
    for (const t of ['sessions', 'tokens', 'participants', 'doc_updates', 'runs', 'events', 'notes']) expect(before[t], t).toBeGreaterThan(0);

    const disconnected = Promise.all([candidate, mentor, observer].map((c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve))));
    const del = await server.http('DELETE', `/api/sessions/${s.id}`);
    expect(del.status).toBe(204);
    expect(await disconnected).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);

    const after = await rowsOf(server, s.id);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [t, n] of Object.entries(after)) expect(n, t).toBe(0);
    expect(server.app.sessions.loadedRecord(s.id)).toBeUndefined();

    // Every link is dead: room, review, API.
    for (const link of [s.links.candidate, s.links.mentor, s.links.observer]) {
      await expect(connect(server.url, link)).rejects.toThrow(/not valid/);
    }
    const review = await server.http('GET', '/api/review', undefined, tokenOf(s.links.review));
    expect(review.status).toBe(401);
    expect((await server.http('GET', `/api/sessions/${s.id}`)).status).toBe(404);
    expect((await server.http('GET', '/api/sessions?archived=all')).body.map((x: SessionSummary) => x.id)).not.toContain(s.id);
    expect((await server.http('DELETE', `/api/sessions/${s.id}`)).status).toBe(404);
    const audit = await server.store.accounts.listAudit({ sessionId: s.id });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([
      ['session.delete', 'key'],
      ['session.start', 'link'],
      ['session.create', 'key'],
    ]);
  }, 240_000);

  it('deleting an ended, scored interview removes its scorecard too', async () => {
    const s = await server.createSession({ candidateName: 'Ken' });
    expect((await server.http('POST', `/api/sessions/${s.id}/end`)).status).toBe(200);
    await server.app.sessions.idle();
    const card = { overall: 3, criteria: { correctness: 3, fluency: 2, debugging: null, communication: 4 }, text: 'fine' };
    expect((await server.http('PUT', '/api/review/scorecard', card, tokenOf(s.links.mentor))).status).toBe(200);
    expect((await rowsOf(server, s.id))['scorecards']).toBe(1);
    expect((await server.http('DELETE', `/api/sessions/${s.id}`)).status).toBe(204);
    for (const [t, n] of Object.entries(await rowsOf(server, s.id))) expect(n, t).toBe(0);
  }, 120_000);

  it('refuses to delete while a run of the session is in flight, then deletes once it is done', async () => {
    const s = await server.createSession({ candidateName: 'Linus' }, { start: true });
    const candidate = await connect(server.url, s.links.candidate);
    open.push(candidate);
    // Code no earlier grade has seen, so that this run really compiles and runs (a re-run of
    // graded code would be answered from the runner's grade cache at once).
    expect((await candidate.edit((text) => text.insert(text.length, `\n// ${s.id}\n`))).ok).toBe(true);
    expect((await candidate.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    const busy = await server.http('DELETE', `/api/sessions/${s.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/in progress; delete it once that has finished/);
    await server.app.sessions.idle();
    expect((await server.http('DELETE', `/api/sessions/${s.id}`)).status).toBe(204);
    expect(await server.store.getSession(s.id)).toBeUndefined();
  }, 120_000);
});
