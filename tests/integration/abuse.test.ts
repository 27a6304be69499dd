// Issue 8, document side: an update must be applied and counted completely or refused (no
// pending structs), only plain text belongs in the document, a session's stored bytes are
// bounded, and added time cannot take a session past LIMITS.maxSessionMinutes. Real server,
// real socket.io clients.
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type SessionSummary } from '../../common/protocol.ts';
import { connect, startServer, storedText, type TestServer, type YClient } from './helpers.ts';

let server: TestServer;
const clients: YClient[] = [];
const open = async (link: string, name?: string) => {
  const c = await connect(server.url, link, name);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** A detached copy of what the client has: edits made on it are not sent anywhere by themselves. */
function forkOf(c: YClient): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(c.doc));
  return d;
}

/** Edits `d` and returns just that edit as an update. */
function editOf(d: Y.Doc, f: (t: Y.Text) => void): Uint8Array {
  const before = Y.encodeStateVector(d);
  f(d.getText('code'));
  return Y.encodeStateAsUpdate(d, before);
}

async function startedSession(): Promise<{ s: SessionSummary; cand: YClient }> {
  const s = await server.createSession({}, { start: true });
  return { s, cand: await open(s.links.candidate) };
}

describe('updates whose dependencies the server lacks', () => {
  it('are refused, leave nothing pending, and are accepted once the base has arrived', async () => {
    const { s, cand } = await startedSession();
    const updatesBefore = (await server.store.listUpdates(s.id)).length;
    const fork = forkOf(cand);
    const base = editOf(fork, (t) => t.insert(0, 'base '));
    const child = editOf(fork, (t) => t.insert(5, 'x'.repeat(30_000))); // depends on `base`
    const refused = await cand.send(updateMessage(child));
    expect(refused).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/depends on/) } });
    expect((await server.store.listUpdates(s.id)).length).toBe(updatesBefore);
    // Nothing was kept aside to be applied later: the base alone brings only its own 5 characters.
    expect(await cand.send(updateMessage(base))).toEqual({ ok: true, value: null });
    expect(await storedText(server.store, s.id)).toBe('base ' + cand.text.toString());
    // Now that the base is there, the same update is complete and counted.
    expect(await cand.send(updateMessage(child))).toEqual({ ok: true, value: null });
    expect((await storedText(server.store, s.id)).length).toBe(cand.text.length + 5 + 30_000);
    fork.destroy();
  });

  it('refuses sixty pending updates that together would pass the size limit', async () => {
    const { s, cand } = await startedSession();
    const fork = forkOf(cand);
    const base = editOf(fork, (t) => t.insert(0, 'b'));
    const children: Uint8Array[] = [];
    for (let i = 0; i < 60; i++) children.push(editOf(fork, (t) => t.insert(1, 'y'.repeat(20_000))));
    const replies = await Promise.all(children.map((u) => cand.send(updateMessage(u))));
    expect(replies.every((r) => !r.ok && r.error.code === 'bad_request')).toBe(true);
    expect(await cand.send(updateMessage(base))).toEqual({ ok: true, value: null });
    expect((await storedText(server.store, s.id)).length).toBeLessThanOrEqual(LIMITS.docBytes);
    expect((await storedText(server.store, s.id)).length).toBe(cand.text.length + 1);
    fork.destroy();
  });

  it('refuses deletions of text the server does not have, and updates with gaps (Skip structs)', async () => {
    const { cand } = await startedSession();
    const fork = forkOf(cand);
    const first = editOf(fork, (t) => t.insert(0, 'one '));
    editOf(fork, (t) => t.insert(0, 'two '));
    const third = editOf(fork, (t) => t.insert(0, 'three '));
    // first + third of one client, with the second missing: merged, the gap becomes a Skip.
    const gappy = Y.mergeUpdates([first, third]);
    expect(await cand.send(updateMessage(gappy))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const del = editOf(fork, (t) => t.delete(0, 3)); // deletes 'thr', unknown to the server
    expect(await cand.send(updateMessage(del))).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/deleted text/) } });
    fork.destroy();
  });
});

describe('only plain text in the document', () => {
  it('refuses formatting attributes and embeds', async () => {
    const { s, cand } = await startedSession();
    const before = (await server.store.listUpdates(s.id)).length;
    const fork = forkOf(cand);
    const format = editOf(fork, (t) => t.format(0, 3, { bold: 'z'.repeat(100_000) }));
    expect(await cand.send(updateMessage(format))).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringMatching(/plain text/) } });
    const fork2 = forkOf(cand);
    const embed = editOf(fork2, (t) => t.insertEmbed(0, { big: 'z'.repeat(1000) }));
    expect(await cand.send(updateMessage(embed))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((await server.store.listUpdates(s.id)).length).toBe(before);
    fork.destroy();
    fork2.destroy();
  });

  it("bounds a session's stored bytes with a clear too_large", async () => {
    // A smaller bound for this test only (the server runs in this process and reads LIMITS live).
    const limits = LIMITS as { sessionStoredBytes: number };
    const saved = limits.sessionStoredBytes;
    limits.sessionStoredBytes = 400_000;
    try {
      const { cand } = await startedSession();
      let last: Awaited<ReturnType<YClient['edit']>> = { ok: true, value: null };
      for (let i = 0; i < 10 && last.ok; i++) {
        last = await cand.edit((t) => t.insert(0, 'w'.repeat(60_000)));
        if (last.ok) last = await cand.edit((t) => t.delete(0, 60_000));
      }
      expect(last).toMatchObject({ ok: false, error: { code: 'too_large', message: expect.stringMatching(/stored/) } });
    } finally {
      limits.sessionStoredBytes = saved;
    }
  });
});

describe('added time', () => {
  it(`cannot take a session past ${LIMITS.maxSessionMinutes} minutes`, async () => {
    const s = await server.createSession({ minutes: 60 });
    const mentor = await open(s.links.mentor);
    const add = (minutes: number) => mentor.socket.timeout(5000).emitWithAck('timer:add', { minutes });
    expect(await add(60)).toMatchObject({ ok: true });
    expect(await add(60)).toMatchObject({ ok: true, value: { durationMs: 180 * 60_000 } });
    expect(await add(1)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/at most 180 minutes/) } });
    expect((await server.store.getSession(s.id))!.durationMs).toBe(180 * 60_000);
  });
});
