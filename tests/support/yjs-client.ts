// The one Yjs client of the tests and benches: a Y.Doc synced over socket.io with y-protocols, as
// the browser's provider does (client/src/editor/provider.ts), with each edit's ack available.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Result, ServerToClientEvents, SessionView } from '../../common/protocol.ts';

export const tokenOf = (link: string) => link.split('/').pop()!;

const REMOTE = Symbol('remote');

export interface YClientOptions {
  /** Keep every event and raw frame received (tests check what was never sent); benches turn it off. */
  record?: boolean;
  /** A Cookie header, as a signed-in browser sends it with the handshake. */
  cookie?: string;
}

/** A browser-like client: a Y.Doc synced over socket.io, with every received frame recorded. */
export class YClient {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('code');
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  state: SessionView | undefined;
  /** Every event received, in order. */
  readonly events: Array<{ event: string; args: unknown[] }> = [];
  /** Raw engine.io frames (text and binary) received, for "never sent" checks. */
  readonly frames: Array<string | Uint8Array> = [];
  private acks: Promise<Result<null>>[] = [];

  constructor(url: string, link: string, name?: string, options: YClientOptions = {}) {
    const record = options.record ?? true;
    this.awareness.setLocalState(null);
    this.socket = io(url, {
      auth: { token: tokenOf(link), ...(name ? { name } : {}) },
      ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    if (record) {
      this.socket.io.on('open', () => {
        this.socket.io.engine.on('data', (d: unknown) => this.frames.push(typeof d === 'string' ? d : new Uint8Array(d as ArrayBuffer)));
      });
      this.socket.onAny((event: string, ...args: unknown[]) => this.events.push({ event, args }));
    }
    this.socket.on('session:state', (v) => (this.state = v));
    this.socket.on('connect', () => this.track(this.send(this.step1())));
    this.socket.on('doc:sync', (m) => this.onSync(new Uint8Array(m)));
    this.socket.on('awareness:update', (u) => awarenessProtocol.applyAwarenessUpdate(this.awareness, new Uint8Array(u), REMOTE));
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      // Offline edits stay in the doc; the sync on reconnection carries them.
      if (origin !== REMOTE && this.socket.connected) this.track(this.send(this.updateMessage(u)));
    });
  }

  private step1(): Uint8Array {
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, this.doc);
    return encoding.toUint8Array(e);
  }
  private updateMessage(u: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    syncProtocol.writeUpdate(e, u);
    return encoding.toUint8Array(e);
  }
  protected onSync(m: Uint8Array): void {
    const e = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoding.createDecoder(m), e, this.doc, REMOTE);
    // The server's step 1 asks for our edits; observers have none to give.
    if (type === syncProtocol.messageYjsSyncStep1 && this.state?.role !== 'observer' && encoding.length(e) > 0) {
      this.track(this.send(encoding.toUint8Array(e)));
    }
  }
  private track(p: Promise<Result<null>>): void {
    this.acks.push(p);
  }

  send(message: Uint8Array): Promise<Result<null>> {
    return this.socket
      .timeout(10_000)
      .emitWithAck('doc:sync', message)
      .catch((err: Error) => ({ ok: false, error: { code: 'internal', message: err.message } }) as const);
  }

  /** Edits the local doc; resolves with the server's ack for that edit. */
  async edit(f: (t: Y.Text) => void): Promise<Result<null>> {
    const before = this.acks.length;
    f(this.text);
    const mine = this.acks.slice(before);
    if (mine.length === 0) return { ok: true, value: null }; // offline
    const results = await Promise.all(mine);
    return results.find((r) => !r.ok) ?? results[0]!;
  }

  /** Waits for every ack outstanding so far. */
  async settled(): Promise<Result<null>[]> {
    return Promise.all(this.acks);
  }

  async ready(): Promise<SessionView> {
    if (!this.state) await this.next('session:state');
    await this.settled();
    return this.state!;
  }

  /** Resolves with the args of the next event (after now) matching pred. */
  next<A extends unknown[] = unknown[]>(event: string, pred: (...args: A) => boolean = () => true, timeoutMs = 10_000): Promise<A> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.socket.offAny(listener);
        reject(new Error(`timed out waiting for ${event}`));
      }, timeoutMs);
      const listener = (e: string, ...args: unknown[]) => {
        if (e === event && pred(...(args as A))) {
          clearTimeout(t);
          this.socket.offAny(listener);
          resolve(args as A);
        }
      };
      this.socket.onAny(listener);
    });
  }

  close(): void {
    this.socket.disconnect();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** Connects and waits for the initial state and sync. Rejects on connect_error. */
export async function connect(url: string, link: string, name?: string, cookie?: string): Promise<YClient> {
  const c = new YClient(url, link, name, { cookie });
  await new Promise<void>((resolve, reject) => {
    c.socket.once('connect', () => resolve());
    c.socket.once('connect_error', (err) => reject(err));
  });
  await c.ready();
  return c;
}
