// The browser's Yjs provider against a tiny in-memory stand-in for the server's 'doc:sync'
// handling: proves sync on connect, live relay, and that offline edits merge on reconnect.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import { SocketIOProvider } from '../../../client/src/editor/provider.ts';
import type { RoomSocket } from '../../../client/src/socket.ts';

type Handler = (...args: unknown[]) => void;

class FakeServer {
  readonly doc = new Y.Doc();
  readonly clients = new Set<FakeSocket>();

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

function client(server: FakeServer): { socket: FakeSocket; provider: SocketIOProvider; text: Y.Text } {
  const socket = new FakeSocket(server);
  const doc = new Y.Doc();
  const provider = new SocketIOProvider(socket as unknown as RoomSocket, doc);
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
});
