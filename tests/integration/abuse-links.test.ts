// Issue 8, link side: connections per link, awareness and sync step 1 budgets per participant and
// per session (the server stays responsive during floods), names per link, presence as deltas,
// cursors bound to their first participant and labelled by the server. Real socket.io clients.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { LIMITS, type ClientToServerEvents, type ConnectErrorData, type Participant, type ServerToClientEvents } from '../../common/protocol.ts';
import { connect, startServer, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

let server: TestServer;
const clients: YClient[] = [];
const sockets: Socket[] = [];
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
  for (const s of sockets.splice(0)) s.disconnect();
  await server.close();
});

type Raw = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A bare socket.io client; resolves once connected, or with the refusal. */
function rawSocket(link: string, name?: string): Promise<{ socket: Raw } | { refused: ConnectErrorData }> {
  const socket: Raw = io(server.url, { auth: { token: tokenOf(link), ...(name ? { name } : {}) }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (err) => resolve({ refused: (err as Error & { data: ConnectErrorData }).data }));
  });
}

function awarenessOf(clientId: number, state: unknown, clock = 1): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, clock);
  encoding.writeVarString(e, JSON.stringify(state));
  return encoding.toUint8Array(e);
}

async function healthTimes(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await fetch(`${server.url}/api/health`);
    await r.text();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times.sort((a, b) => a - b);
}
type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };
/** 'awareness:update' has no ack in the typed map; the server answers when one is given. */
const sendAwareness = (socket: Raw, update: Uint8Array): Promise<Reply> =>
  (socket.timeout(10_000) as unknown as { emitWithAck(e: string, u: Uint8Array): Promise<Reply> }).emitWithAck('awareness:update', update);
const p99 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!;

describe('connections per link', () => {
  it(`refuses the handshake past ${LIMITS.connectionsPerLink} open connections, and admits again after one closes`, async () => {
    const s = await server.createSession();
    const opened: Raw[] = [];
    for (let i = 0; i < LIMITS.connectionsPerLink; i++) {
      const r = await rawSocket(s.links.observer);
      if (!('socket' in r)) throw new Error(`connection ${i} refused: ${r.refused.message}`);
      opened.push(r.socket);
    }
    const extra = await rawSocket(s.links.observer);
    expect(extra).toMatchObject({ refused: { code: 'rate_limited', message: expect.stringMatching(/connections on this link/) } });
    // Other links of the same session are not affected.
    expect(await rawSocket(s.links.mentor)).toHaveProperty('socket');
    opened[0]!.disconnect();
    await until(async () => 'socket' in (await rawSocket(s.links.observer)), 5000, 'a free slot');
    for (const o of opened) o.disconnect();
  });
});

describe('budgets per participant and per session', () => {
  it('throttles an awareness flood spread over many connections, and health stays fast', async () => {
    const s = await server.createSession();
    const flooders: Raw[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await rawSocket(s.links.observer, 'Flood');
      if ('socket' in r) flooders.push(r.socket);
    }
    const counts = { ok: 0, rate_limited: 0, busy: 0, other: 0 };
    let stop = false;
    const flood = flooders.map(async (f, i) => {
      for (let n = 0; n < 400 && !stop; n++) {
        if (!f.connected) break; // closed for ignoring its refusals (tested below)
        const r = await sendAwareness(f, awarenessOf(1000 + i, { cursor: n }, n + 1)).catch(() => ({ ok: false, error: { code: 'closed', message: '' } }));
        const code = r.ok ? 'ok' : r.error!.code;
        if (code === 'ok' || code === 'rate_limited' || code === 'busy') counts[code]++;
        else counts.other++;
      }
    });
    const health = await healthTimes(40);
    stop = true;
    await Promise.all(flood);
    // One participant behind ten connections gets one participant's budget, not ten.
    expect(counts.rate_limited).toBeGreaterThan(0);
    expect(counts.ok).toBeLessThan(LIMITS.awarenessBurst + LIMITS.awarenessPerSecond * 10);
    expect(p99(health)).toBeLessThan(200);
    for (const f of flooders) f.disconnect();
  });

  it(`closes the connections of a participant refused ${LIMITS.refusalsBeforeDisconnect} times beyond the allowance`, async () => {
    const s = await server.createSession();
    const socks: Raw[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await rawSocket(s.links.observer, 'Pipeliner');
      if (!('socket' in r)) throw new Error('refused');
      socks.push(r.socket);
    }
    const closed = socks.map((sock) => new Promise<void>((resolve) => sock.once('disconnect', () => resolve())));
    // Sent without waiting for replies, as a flood does. Each socket alone stays under the
    // allowance (270 events, of which the awareness budget lets ~60 through); together they are
    // over it and one of them is closed.
    for (let n = 0; n < 270; n++) for (const [i, sock] of socks.entries()) sock.emit('awareness:update', awarenessOf(770 + i, { n }, n + 1));
    await Promise.race(closed);
    // The other one has had at most 270 refusals; a few more close it too: the allowance is the participant's.
    const other = socks.find((sock) => sock.connected);
    for (let n = 0; n < 60 && other; n++) other.emit('awareness:update', awarenessOf(780, { n }, n + 1));
    await Promise.all(closed);
    // Reconnecting at once does not start a new flood: the participant is paused for a while.
    expect(await rawSocket(s.links.observer, 'Pipeliner')).toMatchObject({ refused: { code: 'rate_limited', message: expect.stringMatching(/wait/) } });
    // The link itself still works for others.
    expect(await rawSocket(s.links.observer, 'Someone else')).toHaveProperty('socket');
  });

  it('throttles sync step 1 on a large document by the bytes it costs', async () => {
    // Larger than the source limit allows, so that few answers exhaust the budget: the limit is
    // raised for this test only (the server runs in this process and reads LIMITS live).
    const limits = LIMITS as { docBytes: number };
    const saved = limits.docBytes;
    limits.docBytes = 256 * 1024;
    onTestFinished(() => {
      limits.docBytes = saved;
    });
    const s = await server.createSession({}, { start: true });
    const cand = await open(s.links.candidate);
    expect(await cand.edit((t) => t.insert(0, 'q'.repeat(190_000)))).toEqual({ ok: true, value: null });
    const obs: Raw[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await rawSocket(s.links.observer, 'Reader');
      if ('socket' in r) obs.push(r.socket);
    }
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, new Y.Doc());
    const step1 = encoding.toUint8Array(e);
    let ok = 0;
    let limited = 0;
    await Promise.all(
      obs.map(async (o) => {
        for (let n = 0; n < 20; n++) {
          const r = await o.timeout(10_000).emitWithAck('doc:sync', step1);
          if (r.ok) ok++;
          else if (r.error.code === 'rate_limited') limited++;
        }
      }),
    );
    // ~190 KB an answer: the participant's burst covers a few dozen, not a hundred.
    expect(limited).toBeGreaterThan(0);
    expect(ok * 190_000).toBeLessThan(LIMITS.syncBytesBurst + LIMITS.syncBytesPerSecond * 5);
    // The candidate is a different participant: its own sync still works.
    const c2 = await open(s.links.candidate);
    expect(c2.text.length).toBeGreaterThan(190_000);
    for (const o of obs) o.disconnect();
  });
});

describe('participants', () => {
  it(`allows ${LIMITS.namesPerLink} names per observer link, sends presence as deltas and forgets observers who left`, async () => {
    const s = await server.createSession();
    const mentor = await open(s.links.mentor, 'Grace');
    const seen: Participant[] = [];
    mentor.socket.on('session:presence', (p) => seen.push(p));
    for (let i = 0; i < LIMITS.namesPerLink; i++) {
      const r = await rawSocket(s.links.observer, `Watcher ${i}`);
      expect(r).toHaveProperty('socket');
      if ('socket' in r) r.socket.disconnect();
    }
    const ninth = await rawSocket(s.links.observer, 'One too many');
    expect(ninth).toMatchObject({ refused: { code: 'conflict', message: expect.stringMatching(/names/) } });
    // A name already used comes back fine.
    expect(await rawSocket(s.links.observer, 'Watcher 3')).toHaveProperty('socket');
    await until(() => seen.filter((p) => !p.online).length >= LIMITS.namesPerLink, 5000, 'leaves');
    // Each change is one participant, never the whole list.
    expect(seen.every((p) => typeof p.id === 'string' && typeof p.online === 'boolean')).toBe(true);
    const later = await open(s.links.mentor, 'Grace');
    const observers = later.state!.participants.filter((p) => p.role === 'observer');
    expect(observers.map((p) => p.name)).toEqual(['Watcher 3']); // the others left
    expect((await server.store.listParticipants(s.id)).length).toBeLessThanOrEqual(2 + LIMITS.namesPerLink);
  });
});

describe('cursors', () => {
  it("keeps a cursor id its first participant's while they are away, and labels cursors from the participant record", async () => {
    const s = await server.createSession();
    const cand = await open(s.links.candidate);
    const mentor = await open(s.links.mentor, 'Grace');
    const candId = cand.doc.clientID;
    cand.awareness.setLocalState({ user: { name: 'Ada' }, cursor: 1 });
    cand.socket.emit('awareness:update', awarenessProtocol.encodeAwarenessUpdate(cand.awareness, [candId]));
    await until(() => mentor.awareness.getStates().has(candId), 5000, 'candidate cursor');
    cand.close();
    await until(() => !mentor.awareness.getStates().has(candId), 5000, 'cursor removed');
    const r = await rawSocket(s.links.observer, 'Mallory');
    if (!('socket' in r)) throw new Error('observer refused');
    const emit = (u: Uint8Array) => sendAwareness(r.socket, u);
    expect(await emit(awarenessOf(candId, { user: { name: 'Ada' } }, 5))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Its own cursor, claiming to be the interviewer: relayed under its own name.
    expect(await emit(awarenessOf(424242, { user: { name: 'Interviewer', color: '#000000' }, cursor: 2 }))).toEqual({ ok: true, value: null });
    await until(() => mentor.awareness.getStates().has(424242), 5000, 'observer cursor');
    expect(mentor.awareness.getStates().get(424242)).toMatchObject({ user: { name: 'Mallory' }, cursor: 2 });
    expect((mentor.awareness.getStates().get(424242) as { user: { color: string } }).user.color).not.toBe('#000000');
  });
});
