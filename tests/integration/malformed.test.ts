// Malformed and oversized input on every event: an error reply, no change, no crash.
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { connect, startServer, storedText, type TestServer, type YClient } from './helpers.ts';

let server: TestServer;
let session: SessionSummary;
let mentor: YClient;
let cand: YClient;

beforeAll(async () => {
  server = await startServer();
  session = await server.createSession();
  mentor = await connect(server.url, session.links.mentor);
  cand = await connect(server.url, session.links.candidate);
  // Started, so the candidate's edits below are accepted (a waiting session refuses them).
  const started = await mentor.socket.timeout(5000).emitWithAck('timer:start');
  if (!started.ok) throw new Error(`timer:start: ${started.error.code}`);
});
afterAll(async () => {
  mentor?.close();
  cand?.close();
  await server.close();
});

const wrap = (type: number, payload: Uint8Array) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
};

function foreignRootUpdate(): Uint8Array {
  const d = new Y.Doc();
  d.getMap('meta').set('owned', true);
  return Y.encodeStateAsUpdate(d);
}

async function snapshotOfState() {
  return {
    text: await storedText(server.store, session.id),
    updates: (await server.store.listUpdates(session.id)).length,
    notes: (await server.store.listNotes(session.id)).length,
    session: await server.store.getSession(session.id),
  };
}

describe('malformed payloads', () => {
  it('get an error reply and change nothing', async () => {
    const before = await snapshotOfState();
    const emit = (event: string, ...args: unknown[]) => (mentor.socket.timeout(5000) as any).emitWithAck(event, ...args);
    const cases: Array<[string, unknown[], string]> = [
      ['doc:sync', ['not binary'], 'bad_request'],
      ['doc:sync', [12], 'bad_request'],
      ['doc:sync', [null], 'bad_request'],
      ['doc:sync', [{ length: 3 }], 'bad_request'],
      ['doc:sync', [], 'bad_request'],
      ['doc:sync', [new Uint8Array(0)], 'bad_request'],
      ['doc:sync', [new Uint8Array([9, 9, 9])], 'bad_request'],
      ['doc:sync', [wrap(2, new Uint8Array([1, 2, 3, 4, 5, 6, 7]))], 'bad_request'],
      ['doc:sync', [wrap(0, new Uint8Array([200, 200, 200]))], 'bad_request'],
      ['doc:sync', [wrap(2, foreignRootUpdate())], 'bad_request'],
      ['doc:sync', [new Uint8Array(300 * 1024)], 'too_large'],
      ['awareness:update', ['x'], 'bad_request'],
      ['awareness:update', [new Uint8Array([1, 1, 1, 5, 123, 34, 97, 34, 58])], 'bad_request'],
      ['awareness:update', [new Uint8Array(9 * 1024)], 'too_large'],
      ['timer:add', [{ minutes: 0 }], 'bad_request'],
      ['timer:add', [{ minutes: 61 }], 'bad_request'],
      ['timer:add', [{ minutes: '5' }], 'bad_request'],
      ['timer:add', [{ minutes: 1.5 }], 'bad_request'],
      ['timer:add', [{ minutes: 5, extra: 1 }], 'bad_request'],
      ['timer:add', [], 'bad_request'],
      ['timer:add', [[5]], 'bad_request'],
      ['note:add', [{ text: '' }], 'bad_request'],
      ['note:add', [{ text: '   \u0000 ' }], 'bad_request'],
      ['note:add', [{ text: 'x'.repeat(4001) }], 'bad_request'],
      ['note:add', ['just a string'], 'bad_request'],
      ['note:add', [{ text: 5 }], 'bad_request'],
      ['chat:send', [{ text: '' }], 'bad_request'],
      ['chat:send', [{ text: 'x'.repeat(2001) }], 'bad_request'],
      ['chat:send', [{ text: 'hi', to: 'someone' }], 'bad_request'],
      ['chat:send', ['just a string'], 'bad_request'],
      ['call:join', [{ audio: true }], 'bad_request'],
      ['call:join', [{ audio: 1, video: 0 }], 'bad_request'],
      ['call:state', ['muted'], 'bad_request'],
      ['call:signal', [{ to: 'x', description: { type: 'offer', sdp: 'v=0' }, candidate: {} }], 'bad_request'],
      ['call:signal', [{ to: '', candidate: {} }], 'bad_request'],
    ];
    for (const [event, args, code] of cases) {
      const r = await emit(event, ...args);
      expect(r, `${event} ${JSON.stringify(args).slice(0, 50)}`).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    }
    expect(await snapshotOfState()).toEqual(before);
  });

  it('events without an ack, unknown events and junk arguments do not crash the server', async () => {
    const raw = mentor.socket as any;
    raw.emit('doc:sync', new Uint8Array([1, 2, 3]));
    raw.emit('doc:sync');
    raw.emit('timer:add', { minutes: 'x' });
    raw.emit('note:add');
    raw.emit('run:request', 'junk', 'more junk');
    raw.emit('no:such:event', 1, 2, 3);
    raw.emit('awareness:update', null);
    raw.emit('timer:add', 'not an ack', 'still not');
    // Still alive and still correct.
    const r = await cand.edit((t) => t.insert(0, '// still works\n'));
    expect(r).toEqual({ ok: true, value: null });
    expect((await server.http('GET', '/api/health', undefined, null)).status).toBe(200);
  });

  it('a frame above the transport limit drops only that connection', async () => {
    const victim = await connect(server.url, session.links.observer);
    const closed = new Promise((resolve) => victim.socket.once('disconnect', resolve));
    (victim.socket as any).emit('awareness:update', new Uint8Array(2 * 1024 * 1024));
    await closed;
    expect((await cand.edit((t) => t.insert(0, 'y'))).ok).toBe(true);
    victim.close();
  });

  it('an observer may not slip an update inside a sync step 2', async () => {
    const o = await connect(server.url, session.links.observer);
    const d = new Y.Doc();
    d.getText('code').insert(0, 'observer was here');
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep2(e, d);
    const r = await o.socket.timeout(5000).emitWithAck('doc:sync', encoding.toUint8Array(e));
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await storedText(server.store, session.id)).not.toContain('observer was here');
    o.close();
  });
});

describe('flooding', () => {
  it('a connection sending too fast gets busy replies, and is served again after a pause', async () => {
    const flooder = await connect(server.url, session.links.observer);
    const emitNote = () => (flooder.socket.timeout(10_000) as any).emitWithAck('note:add', { text: 'x' }) as Promise<{ ok: boolean; error?: { code: string } }>;
    const replies = await Promise.all(Array.from({ length: 500 }, emitNote));
    const codes = replies.map((r) => r.error?.code);
    expect(codes.filter((c) => c === 'forbidden').length).toBeGreaterThanOrEqual(300);
    expect(codes.filter((c) => c === 'busy').length).toBeGreaterThan(0);
    expect((await server.store.listNotes(session.id)).length).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await emitNote()).error?.code).toBe('forbidden'); // heard again, and still refused
    // Other connections were never slowed down.
    expect((await cand.socket.timeout(5000).emitWithAck('timer:add', { minutes: 1 })).error?.code).toBe('forbidden');
    flooder.close();
  });
});
