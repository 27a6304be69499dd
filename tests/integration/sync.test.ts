// Shared editing over the real server: convergence, the starter inserted once, offline edits,
// awareness, presence. Sessions where the candidate edits are started first: while 'waiting' the
// server refuses a candidate's edits (deadline.test.ts covers that rule).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, exercises, startServer, storedText, until, YClient, type TestServer } from './helpers.ts';

let server: TestServer;
const clients: YClient[] = [];
const open = async (link: string, name?: string) => {
  const c = await connect(server.url, link, name);
  clients.push(c);
  return c;
};

beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('shared document', () => {
  it('starts with the starter exactly once, even when two clients join at the same moment', async () => {
    const s = await server.createSession();
    const starter = (await exercises()).defaultExercise.starter;
    const [a, b] = await Promise.all([open(s.links.candidate), open(s.links.mentor)]);
    expect(a.text.toString()).toBe(starter);
    expect(b.text.toString()).toBe(starter);
    expect(a.state?.exercise.starter).toBe(starter);
  });

  it('two clients converge after concurrent edits, and the store has the same text', async () => {
    const s = await server.createSession({}, { start: true });
    const a = await open(s.links.candidate);
    const b = await open(s.links.mentor, 'Grace');
    const acks = await Promise.all([
      a.edit((t) => t.insert(0, '// from a\n')),
      b.edit((t) => t.insert(t.length, '// from b\n')),
      a.edit((t) => t.insert(t.length, '// a at the end\n')),
    ]);
    expect(acks.every((r) => r.ok)).toBe(true);
    await until(() => a.text.toString() === b.text.toString() && a.text.toString().includes('// from b'), 5000, 'convergence');
    expect(a.text.toString().startsWith('// from a\n')).toBe(true);
    expect(await storedText(server.store, s.id)).toBe(a.text.toString());
  });

  it('edits made while disconnected merge on reconnection', async () => {
    const s = await server.createSession({}, { start: true });
    const a = await open(s.links.candidate);
    const b = await open(s.links.mentor);
    a.socket.disconnect();
    await a.edit((t) => t.insert(0, '/* offline */\n')); // no ack: offline
    await b.edit((t) => t.insert(b.text.length, '/* online */\n'));
    expect(a.text.toString()).not.toContain('online');
    a.socket.connect();
    await until(() => a.text.toString() === b.text.toString() && b.text.toString().includes('offline'), 5000, 'merge');
    await a.settled();
    const stored = await storedText(server.store, s.id);
    expect(stored).toContain('/* offline */');
    expect(stored).toContain('/* online */');
    // Stored with the participant who made it.
    const updates = await server.store.listUpdates(s.id);
    const candidate = a.state!.you.id;
    expect(updates.some((u) => u.participantId === candidate)).toBe(true);
  });

  it('an edit the store failed to save is not acked; the client resends it on reconnection', async () => {
    const s = await server.createSession({}, { start: true });
    const a = await open(s.links.candidate);
    const b = await open(s.links.mentor);
    const store = server.store;
    const real = store.appendUpdate.bind(store);
    store.appendUpdate = () => Promise.reject(new Error('disk full'));
    const dropped = new Promise((r) => a.socket.once('disconnect', r));
    const r = await a.edit((t) => t.insert(0, '/* unsaved */'));
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    await dropped; // every connection of the session is reset
    expect(await storedText(store, s.id)).not.toContain('unsaved');
    expect(b.text.toString()).not.toContain('unsaved'); // never broadcast
    store.appendUpdate = real;
    b.close();
    a.socket.connect(); // its step 2 carries the edit again
    await until(async () => (await storedText(store, s.id)).includes('/* unsaved */'), 5000, 'resent edit stored');
  });

  it('observers receive edits live', async () => {
    const s = await server.createSession({}, { start: true });
    const a = await open(s.links.candidate);
    const o = await open(s.links.observer, 'Watcher');
    await a.edit((t) => t.insert(0, 'x'));
    await until(() => o.text.toString() === a.text.toString(), 5000, 'observer sync');
  });

  it("relays awareness and removes a client's states when it disconnects", async () => {
    const s = await server.createSession();
    const a = await open(s.links.candidate);
    const b = await open(s.links.mentor);
    a.awareness.setLocalState({ user: { name: 'Ada', color: '#f00' }, cursor: 3 });
    const ack = await (a.socket.timeout(5000) as any).emitWithAck('awareness:update', awarenessUpdateOf(a));
    expect(ack).toEqual({ ok: true, value: null });
    await until(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 5000, 'awareness');
    // A newcomer gets the current states at once.
    const c = await open(s.links.observer);
    await until(() => c.awareness.getStates().has(a.doc.clientID), 5000, 'initial awareness');
    a.socket.disconnect();
    await until(() => !b.awareness.getStates().has(a.doc.clientID), 5000, 'awareness removal');
  });

  it('keeps a presence list with online flags', async () => {
    const s = await server.createSession({ candidateName: 'Ada Lovelace' });
    const m = await open(s.links.mentor, 'Grace');
    expect(m.state!.participants).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Ada Lovelace', role: 'candidate', online: false })]));
    const seen = m.next<[{ name: string; online: boolean }]>('session:presence', (p) => p.name === 'Ada Lovelace' && p.online);
    const a = await open(s.links.candidate, 'Someone Else'); // the candidate's name comes from the session
    await seen;
    expect(a.state!.you).toMatchObject({ name: 'Ada Lovelace', role: 'candidate' });
    const gone = m.next<[{ name: string; online: boolean }]>('session:presence', (p) => p.name === 'Ada Lovelace' && !p.online);
    a.socket.disconnect();
    await gone;
  });
});

import * as awarenessProtocol from 'y-protocols/awareness';
function awarenessUpdateOf(c: YClient): Uint8Array {
  return awarenessProtocol.encodeAwarenessUpdate(c.awareness, [c.doc.clientID]);
}
