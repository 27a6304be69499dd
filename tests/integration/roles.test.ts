// The role matrix, end to end: each role tries each socket event, and each HTTP route is tried
// with no key, a wrong key, a link token, and the mentor key.
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { connect, startServer, startSession, tokenOf, type TestServer, type YClient } from './helpers.ts';

let server: TestServer;
let session: SessionSummary;

beforeAll(async () => {
  server = await startServer();
  session = await server.createSession();
});
afterAll(async () => {
  await server.close();
});

function updateMessage(text: string): Uint8Array {
  const d = new Y.Doc();
  d.getText('code').insert(0, text);
  const e = encoding.createEncoder();
  syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(d));
  return encoding.toUint8Array(e);
}

async function tryAll(c: YClient): Promise<Record<string, string>> {
  const s = c.socket.timeout(5000);
  const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
  const e = encoding.createEncoder();
  syncProtocol.writeSyncStep1(e, c.doc);
  const out: Record<string, string> = {};
  out['doc:read'] = code(await s.emitWithAck('doc:sync', encoding.toUint8Array(e)));
  out['doc:write'] = code(await s.emitWithAck('doc:sync', updateMessage(`by ${c.state!.role}\n`)));
  out['awareness'] = code(await (s as any).emitWithAck('awareness:update', new Uint8Array([0])));
  out['run:request'] = code(await s.emitWithAck('run:request'));
  out['timer:add'] = code(await s.emitWithAck('timer:add', { minutes: 1 }));
  out['note:add'] = code(await s.emitWithAck('note:add', { text: 'a note' }));
  out['chat:send'] = code(await s.emitWithAck('chat:send', { text: `hello from ${c.state!.role}` }));
  out['call:join'] = code(await s.emitWithAck('call:join', { audio: true, video: false }));
  if (out['call:join'] === 'ok') await s.emitWithAck('call:leave');
  out['timer:start'] = code(await s.emitWithAck('timer:start'));
  return out;
}

describe('socket role matrix', () => {
  it('observer: read and awareness only', async () => {
    const c = await connect(server.url, session.links.observer);
    expect(await tryAll(c)).toEqual({
      'doc:read': 'ok',
      'doc:write': 'forbidden',
      awareness: 'ok',
      'run:request': 'forbidden',
      'timer:add': 'forbidden',
      'note:add': 'forbidden',
      'chat:send': 'forbidden',
      'call:join': 'forbidden',
      'timer:start': 'forbidden',
    });
    expect(((await c.socket.timeout(5000).emitWithAck('session:end')) as any).error.code).toBe('forbidden');
    c.close();
  });

  it('candidate: edits, awareness and runs; no timer, no notes', async () => {
    // A session of its own: the mentor row below needs the shared one still waiting.
    const own = await server.createSession();
    const c = await connect(server.url, own.links.candidate);
    // Waiting: edits and runs are refused until the mentor starts the timer.
    expect(await tryAll(c)).toEqual({
      'doc:read': 'ok',
      'doc:write': 'conflict',
      awareness: 'ok',
      'run:request': 'conflict',
      'timer:add': 'forbidden',
      'note:add': 'forbidden',
      'chat:send': 'ok',
      'call:join': 'ok',
      'timer:start': 'forbidden',
    });
    await startSession(server.url, own);
    // Live: accepted.
    expect(await tryAll(c)).toEqual({
      'doc:read': 'ok',
      'doc:write': 'ok',
      awareness: 'ok',
      'run:request': 'ok',
      'timer:add': 'forbidden',
      'note:add': 'forbidden',
      'chat:send': 'ok',
      'call:join': 'ok',
      'timer:start': 'forbidden',
    });
    expect(((await c.socket.timeout(5000).emitWithAck('session:end')) as any).error.code).toBe('forbidden');
    c.close();
  });

  it('mentor: everything', async () => {
    await server.app.sessions.idle(); // the candidate's run (no runner here, another session) has finished
    const c = await connect(server.url, session.links.mentor);
    expect(await tryAll(c)).toEqual({
      'doc:read': 'ok',
      'doc:write': 'ok',
      awareness: 'ok',
      'run:request': 'ok',
      'timer:add': 'ok',
      'note:add': 'ok',
      'chat:send': 'ok',
      'call:join': 'ok',
      'timer:start': 'ok',
    });
    expect((await c.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    c.close();
  });

  it('refuses handshakes without a valid link token, and review links', async () => {
    const attempt = (auth: unknown) =>
      new Promise<{ message: string; data: any }>((resolve, reject) => {
        const s = io(server.url, { auth: auth as any, transports: ['websocket'], reconnection: false, forceNew: true });
        s.on('connect', () => {
          s.disconnect();
          reject(new Error('connected'));
        });
        s.on('connect_error', (err: any) => {
          s.disconnect();
          resolve({ message: err.message, data: err.data });
        });
      });
    for (const auth of [{}, { token: 42 }, { token: 'x'.repeat(43) }, { token: tokenOf(session.links.review) }, { token: server.keys.mentorKey }]) {
      const r = await attempt(auth);
      expect(r.data).toMatchObject({ code: 'unauthorized' });
      expect(r.message).toMatch(/not valid/);
    }
  });
});

describe('HTTP routes', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/api/exercises'],
    ['GET', '/api/sessions'],
    ['POST', '/api/sessions', { candidateName: 'X' }],
  ];

  it('health is public', async () => {
    const r = await server.http('GET', '/api/health', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true });
  });

  it('mentor routes need the mentor key; link tokens are not keys', async () => {
    const keys = [null, 'wrong-key', tokenOf(session.links.mentor), tokenOf(session.links.candidate), server.keys.mentorKey + 'x'];
    for (const [method, route, body] of [...routes, ['GET', `/api/sessions/${session.id}`] as [string, string]]) {
      for (const key of keys) {
        const r = await server.http(method, route, body, key);
        expect(r.status, `${method} ${route} with ${key}`).toBe(401);
        expect(r.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      const ok = await server.http(method, route, body);
      expect(ok.status, `${method} ${route}`).toBe(method === 'POST' ? 201 : 200);
    }
  });

  it('lists exercises with public fields only', async () => {
    const r = await server.http('GET', '/api/exercises');
    expect(r.body.length).toBeGreaterThan(0);
    for (const e of r.body) expect(Object.keys(e).sort()).toEqual(['difficulty', 'isDefault', 'minutes', 'slug', 'title']);
    expect(r.body.filter((e: any) => e.isDefault)).toHaveLength(1);
  });

  it('creates sessions with defaults and capability links; lists them', async () => {
    const r = await server.http('POST', '/api/sessions', { candidateName: '  Ada\u0000 ' });
    expect(r.status).toBe(201);
    const s = r.body as SessionSummary;
    expect(s).toMatchObject({ candidateName: 'Ada', status: 'waiting', durationMs: 30 * 60_000, startedAt: null, deadline: null });
    expect(s.links.mentor).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);
    expect(s.links.review).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
    expect(new Set(Object.values(s.links).map(tokenOf)).size).toBe(4);
    const list = await server.http('GET', '/api/sessions');
    expect(list.body[0]).toEqual(s); // newest first, same links again
    const one = await server.http('GET', `/api/sessions/${s.id}`);
    expect(one.body).toEqual(s);
    expect((await server.http('GET', '/api/sessions/nope')).status).toBe(404);
  });

  it('validates the create body', async () => {
    const bad: Array<[unknown, number, string]> = [
      [{}, 400, 'bad_request'],
      [{ candidateName: '' }, 400, 'bad_request'],
      [{ candidateName: '\u0001\u0002' }, 400, 'bad_request'],
      [{ candidateName: 'x'.repeat(81) }, 400, 'bad_request'],
      [{ candidateName: 'A', minutes: 4 }, 400, 'bad_request'],
      [{ candidateName: 'A', minutes: 181 }, 400, 'bad_request'],
      [{ candidateName: 'A', minutes: 30.5 }, 400, 'bad_request'],
      [{ candidateName: 'A', extra: true }, 400, 'bad_request'],
      [{ candidateName: 'A', exercise: 'no-such-exercise' }, 404, 'not_found'],
      ['{not json', 400, 'bad_request'],
      [JSON.stringify({ candidateName: 'A', pad: 'x'.repeat(20_000) }), 413, 'too_large'],
      [[1, 2], 400, 'bad_request'],
    ];
    const before = (await server.store.listSessions()).length;
    for (const [body, status, code] of bad) {
      const r = await server.http('POST', '/api/sessions', body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect((await server.store.listSessions()).length).toBe(before);
    const custom = await server.http('POST', '/api/sessions', { candidateName: 'A', minutes: 45 });
    expect(custom.body.durationMs).toBe(45 * 60_000);
  });

  it('sets security headers; unknown API routes are JSON 404s', async () => {
    const r = await server.http('GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
    for (const route of ['/api/health', session.links.candidate, '/mentor']) {
      const h = (await server.http('GET', route, undefined, null)).headers;
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toBe('DENY');
      expect(h.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(h.get('x-powered-by')).toBeNull();
      // The call needs the camera and microphone of this origin, nothing else's.
      expect(h.get('permissions-policy')).toBe('camera=(self), microphone=(self), geolocation=(), payment=()');
    }
  });
});
