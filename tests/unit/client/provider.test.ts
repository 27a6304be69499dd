// The browser's Yjs provider against a tiny in-memory stand-in for the server's 'doc:sync'
// handling: proves sync on connect, live relay, that offline edits merge on reconnect, and that a
// refused edit brings the browser back to the server's document.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { ErrorReply } from '../../../common/protocol.ts';
import { SocketIOProvider, type ProviderEvents, type Restored } from '../../../client/src/editor/provider.ts';
import type { RoomSocket } from '../../../client/src/socket.ts';

type Handler = (...args: unknown[]) => void;

class FakeServer {
  readonly doc = new Y.Doc();
  readonly clients = new Set<FakeSocket>();
  /** Refuses an update that this returns an error for (as the real server does past a limit). */
  refuse: (update: Uint8Array) => ErrorReply | null = () => null;
  readonly refused: Uint8Array[] = [];

  /** As the real server: an update that depends on edits it lacks is refused, never kept pending. */
  private problem(update: Uint8Array): ErrorReply | null {
    const own = this.refuse(update);
    if (own) return own;
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(this.doc));
    Y.applyUpdate(probe, update);
    const pending = probe.store.pendingStructs !== null || probe.store.pendingDs !== null;
    probe.destroy();
    return pending ? { code: 'bad_request', message: 'The update depends on earlier edits the server does not have.' } : null;
  }

  receive(from: FakeSocket, event: string, args: unknown[]): void {
    if (event === 'awareness:update') {
      for (const c of this.clients) if (c !== from) c.deliver('awareness:update', args[0]);
      return;
    }
    if (event !== 'doc:sync') return;
    const [message, ack] = args as [Uint8Array, (r: unknown) => void];
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (type === syncProtocol.messageYjsSyncStep1) {
      const e = encoding.createEncoder();
      syncProtocol.writeSyncStep2(e, this.doc, payload);
      from.deliver('doc:sync', encoding.toUint8Array(e));
    } else {
      const problem = this.problem(payload);
      if (problem) {
        this.refused.push(payload);
        queueMicrotask(() => ack({ ok: false, error: problem }));
        return;
      }
      Y.applyUpdate(this.doc, payload);
      const e = encoding.createEncoder();
      syncProtocol.writeUpdate(e, payload);
      const relay = encoding.toUint8Array(e);
      for (const c of this.clients) if (c !== from) c.deliver('doc:sync', relay);
    }
    queueMicrotask(() => ack({ ok: true, value: null }));
  }
}

class FakeSocket {
  connected = false;
  private handlers = new Map<string, Set<Handler>>();
  constructor(private server: FakeServer) {}
  on(event: string, fn: Handler): this {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)?.add(fn);
    return this;
  }
  off(event: string, fn: Handler): this {
    this.handlers.get(event)?.delete(fn);
    return this;
  }
  emit(event: string, ...args: unknown[]): this {
    if (this.connected) this.server.receive(this, event, args);
    return this;
  }
  deliver(event: string, ...args: unknown[]): void {
    queueMicrotask(() => {
      if (this.connected) for (const fn of this.handlers.get(event) ?? []) fn(...args);
    });
  }
  connect(): void {
    this.connected = true;
    this.server.clients.add(this);
    for (const fn of this.handlers.get('connect') ?? []) fn();
  }
  drop(): void {
    this.connected = false;
    this.server.clients.delete(this);
    for (const fn of this.handlers.get('disconnect') ?? []) fn('transport close');
  }
}

const settle = () => new Promise((r) => setTimeout(r, 10));
const providers: SocketIOProvider[] = [];

function client(server: FakeServer, events: ProviderEvents = {}): { socket: FakeSocket; provider: SocketIOProvider; text: Y.Text } {
  const socket = new FakeSocket(server);
  const doc = new Y.Doc();
  const provider = new SocketIOProvider(socket as unknown as RoomSocket, doc, events);
  providers.push(provider);
  socket.connect();
  return { socket, provider, text: doc.getText('code') };
}

afterEach(() => {
  for (const p of providers.splice(0)) p.destroy();
});

describe('SocketIOProvider', () => {
  it('syncs the starter on connect and relays live edits', async () => {
    const server = new FakeServer();
    server.doc.getText('code').insert(0, 'int main(void) {}\n');
    const a = client(server);
    const b = client(server);
    await settle();
    expect(a.provider.synced).toBe(true);
    expect(a.text.toString()).toBe('int main(void) {}\n');
    a.text.insert(0, '// A\n');
    await settle();
    expect(b.text.toString()).toBe('// A\nint main(void) {}\n');
    expect(a.provider.pendingCount).toBe(0);
  });

  it('keeps edits made offline and merges them on reconnect', async () => {
    const server = new FakeServer();
    server.doc.getText('code').insert(0, 'x\n');
    const a = client(server);
    const b = client(server);
    await settle();
    a.socket.drop();
    a.text.insert(0, 'offline-A ');
    a.text.insert(a.text.length, 'more-A');
    b.text.insert(0, 'online-B ');
    await settle();
    expect(a.provider.pendingCount).toBe(2);
    expect(server.doc.getText('code').toString()).not.toContain('offline-A');
    a.socket.connect();
    await settle();
    const expected = server.doc.getText('code').toString();
    expect(expected).toContain('offline-A');
    expect(expected).toContain('more-A');
    expect(expected).toContain('online-B');
    expect(a.text.toString()).toBe(expected);
    expect(b.text.toString()).toBe(expected);
    expect(a.provider.pendingCount).toBe(0);
  });

  it('shares awareness and forgets peers while disconnected', async () => {
    const server = new FakeServer();
    const a = client(server);
    const b = client(server);
    a.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#3b82f6' });
    await settle();
    const seen = b.provider.awareness.getStates().get(a.provider.doc.clientID);
    expect(seen?.['user']).toEqual({ name: 'Ada', color: '#3b82f6' });
    b.socket.drop();
    expect(b.provider.awareness.getStates().has(a.provider.doc.clientID)).toBe(false);
    awarenessProtocol.removeAwarenessStates(a.provider.awareness, [a.provider.doc.clientID], 'test');
  });

  it('returns to the server document after a refused edit, keeps the refused text, and saves what follows', async () => {
    const server = new FakeServer();
    server.doc.getText('code').insert(0, 'int main(void) {}\n');
    const seen: { refused: ErrorReply[]; restored: Restored[]; pending: number[] } = { refused: [], restored: [], pending: [] };
    const a = client(server, {
      onRefused: (e) => seen.refused.push(e),
      onRestored: (r) => seen.restored.push(r),
      onPending: (n) => seen.pending.push(n),
    });
    const b = client(server);
    await settle();
    const original = a.provider.doc;
    const oldId = a.provider.awareness.clientID;
    a.provider.awareness.setLocalStateField('user', { name: 'Ada' });
    server.refuse = (u) =>
      Y.decodeUpdate(u).structs.some((s) => s instanceof Y.Item && s.content instanceof Y.ContentString && s.content.str.includes('HUGE'))
        ? { code: 'too_large', message: 'The document may hold 64 KiB.' }
        : null;
    a.text.insert(0, 'HUGE paste ');
    a.text.insert(0, 'typed on top '); // sent before the refusal is known: it depends on the paste
    await settle();
    expect(seen.refused).toEqual([{ code: 'too_large', message: 'The document may hold 64 KiB.' }]); // once, not per edit
    expect(server.refused.length).toBe(2);
    expect(seen.restored.length).toBe(1);
    expect(seen.restored[0]?.previous.getText('code').toString()).toBe('typed on top HUGE paste int main(void) {}\n');
    // The browser shows the server's document again, in a new Y.Doc with its own client id.
    expect(a.provider.restoring).toBe(false);
    expect(a.provider.doc).not.toBe(original);
    expect(a.provider.doc.getText('code').toString()).toBe('int main(void) {}\n');
    expect(a.provider.awareness.clientID).toBe(a.provider.doc.clientID);
    expect(a.provider.awareness.clientID).not.toBe(oldId);
    expect(b.provider.awareness.getStates().has(oldId)).toBe(false);
    expect(b.provider.awareness.getStates().get(a.provider.doc.clientID)?.['user']).toEqual({ name: 'Ada' });
    expect(a.provider.pendingCount).toBe(0);
    // Typing goes on from there and is saved: no edit depends on the refused one any more.
    server.refuse = () => null;
    a.provider.doc.getText('code').insert(0, '// after\n');
    await settle();
    expect(server.doc.getText('code').toString()).toBe('// after\nint main(void) {}\n');
    expect(b.text.toString()).toBe('// after\nint main(void) {}\n');
    expect(server.refused.length).toBe(2);
    expect(a.provider.pendingCount).toBe(0);
    expect(seen.pending.at(-1)).toBe(0);
  });

  it('also returns to the server document when offline edits are refused on reconnect', async () => {
    const server = new FakeServer();
    server.doc.getText('code').insert(0, 'x\n');
    const restored: Restored[] = [];
    const replaced: Y.Doc[] = [];
    const a = client(server, { onRestored: (r) => restored.push(r) });
    a.provider.onReplace((doc) => replaced.push(doc));
    await settle();
    a.socket.drop();
    a.text.insert(0, 'offline ');
    server.doc.getText('code').insert(2, 'server\n');
    server.refuse = () => ({ code: 'session_ended', message: 'The session has ended.' });
    a.socket.connect();
    await settle();
    expect(restored.length).toBe(1);
    expect(replaced).toEqual([a.provider.doc]);
    expect(a.provider.doc.getText('code').toString()).toBe('x\nserver\n');
    expect(restored[0]?.previous.getText('code').toString()).toBe('offline x\nserver\n'); // what this browser showed
  });
});
