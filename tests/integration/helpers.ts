// A real server on port 0 (temp DATA_DIR, real store, real exercises) and real socket.io clients
// that each hold a Y.Doc and speak y-protocols the way the browser does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Result, ServerToClientEvents, SessionSummary, SessionView, TimerView } from '../../common/protocol.ts';
import type { Metrics } from '../../server/src/metrics.ts';
import { createApp, type App } from '../../server/src/app.ts';
import { testConfig, type Config } from '../../server/src/config.ts';
import { loadExercises } from '../../server/src/exercises/load.ts';
import type { ExerciseCatalog } from '../../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../../server/src/runner/index.ts';
import type { Clock } from '../../server/src/sessions/timer.ts';
import { loadKeys, type Keys } from '../../server/src/sessions/tokens.ts';
import { storedTextAt } from '../../server/src/history/stored.ts';
import { openStore } from '../../server/src/store/index.ts';
import type { Store } from '../../server/src/store/types.ts';
import { ROOT, TEST_EXERCISES_DIR } from '../support/paths.ts';
import { schemaForDataDir } from '../support/postgres.ts';

export { ROOT };

let catalog: Promise<ExerciseCatalog> | undefined;
export function exercises(): Promise<ExerciseCatalog> {
  return (catalog ??= loadExercises(TEST_EXERCISES_DIR));
}

/**
 * The real runner, one compiler, with generous time limits: these tests are about sessions, and
 * a loaded CI machine must not turn a correct solution into a timeout.
 */
export function testRunner(): Runner {
  return createRunner({ limits: { concurrency: 1, runMs: 15_000, compileMs: 60_000 } });
}

/** For tests that never grade: any call is a test bug, so it fails loudly rather than faking a result. */
export const noRunner: Runner = {
  limits: undefined as never,
  ready: async () => {},
  run: () => Promise.reject(new Error('this test has no runner')),
  runFiles: () => Promise.reject(new Error('this test has no runner')),
  grade: () => Promise.reject(new Error('this test has no runner')),
  pending: () => 0,
  isFull: () => false,
  close: async () => {},
};

export function tempDir(prefix = 'ci-it-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  app: App;
  store: Store;
  keys: Keys;
  dataDir: string;
  /** HTTP with the mentor key (or `key`). */
  http(method: string, route: string, body?: unknown, key?: string | null): Promise<{ status: number; body: any; headers: Headers }>;
  /**
   * Creates a session over HTTP. With `start`, the mentor also starts its timer (see startSession),
   * so candidates may edit and run at once; otherwise it stays 'waiting'.
   */
  createSession(body?: Record<string, unknown>, opts?: { start?: boolean }): Promise<SessionSummary>;
  /** Stops the server and closes the store; removes DATA_DIR unless keepData. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface ServerOptions {
  dataDir?: string;
  config?: Partial<Config>;
  clock?: Clock;
  runner?: Runner;
  log?: (msg: string, err?: unknown) => void;
  /** A PostgreSQL database (postgres://...) instead of SQLite in DATA_DIR. */
  databaseUrl?: string;
  /** Served at /metrics when config.metricsToken is set. */
  metrics?: Metrics;
  /** Which exercises new sessions may use (AppDeps.offered); all by default. */
  offered?: (slug: string) => boolean;
}

export async function startServer(o: ServerOptions = {}): Promise<TestServer> {
  const dataDir = o.dataDir ?? tempDir();
  const config = testConfig({ dataDir, clientDir: path.join(dataDir, 'no-client'), ...o.config });
  const keys = loadKeys(dataDir, 'test-mentor-key-0123456789');
  // TEST_STORE=postgres runs these servers on PostgreSQL, one schema per DATA_DIR (a restart on
  // the same DATA_DIR finds its data); the default is SQLite in DATA_DIR.
  const schema = o.databaseUrl === undefined && process.env['TEST_STORE'] === 'postgres' ? await schemaForDataDir(dataDir) : undefined;
  const store = await openStore({ dataDir, databaseUrl: o.databaseUrl ?? schema?.url });
  const app = createApp({ config, store, catalog: await exercises(), runner: o.runner ?? noRunner, keys, clock: o.clock, log: o.log ?? (() => {}), metrics: o.metrics, offered: o.offered });
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const http: TestServer['http'] = async (method, route, body, key = keys.mentorKey) => {
    const headers: Record<string, string> = {};
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  };
  return {
    url,
    app,
    store,
    keys,
    dataDir,
    http,
    async createSession(body = {}, opts = {}) {
      const r = await http('POST', '/api/sessions', { candidateName: 'Ada', ...body });
      if (r.status !== 201) throw new Error(`create session: ${r.status} ${JSON.stringify(r.body)}`);
      const s = r.body as SessionSummary;
      if (opts.start) await startSession(url, s);
      return s;
    },
    async close(opts = {}) {
      await app.close();
      await store.close();
      if (!opts.keepData) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await schema?.drop();
      }
    },
  };
}

export const tokenOf = (link: string) => link.split('/').pop()!;

const REMOTE = Symbol('remote');

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

  /** `cookie`: a Cookie header, as a signed-in browser sends it with the handshake. */
  constructor(url: string, link: string, name?: string, cookie?: string) {
    this.awareness.setLocalState(null);
    this.socket = io(url, {
      auth: { token: tokenOf(link), ...(name ? { name } : {}) },
      ...(cookie ? { extraHeaders: { cookie } } : {}),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.io.on('open', () => {
      this.socket.io.engine.on('data', (d: unknown) => this.frames.push(typeof d === 'string' ? d : new Uint8Array(d as ArrayBuffer)));
    });
    this.socket.onAny((event: string, ...args: unknown[]) => this.events.push({ event, args }));
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
  private onSync(m: Uint8Array): void {
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
    return this.socket.timeout(10_000).emitWithAck('doc:sync', message).catch((err: Error) => ({ ok: false, error: { code: 'internal', message: err.message } }) as const);
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
  const c = new YClient(url, link, name, cookie);
  await new Promise<void>((resolve, reject) => {
    c.socket.once('connect', () => resolve());
    c.socket.once('connect_error', (err) => reject(err));
  });
  await c.ready();
  return c;
}

/**
 * Starts the session's timer the way the mentor does (their link, 'timer:start') over a connection
 * of its own, closed afterwards. Until then a candidate's edits and runs are refused ('conflict').
 */
export async function startSession(url: string, session: SessionSummary): Promise<TimerView> {
  const mentor = await connect(url, session.links.mentor);
  try {
    const r = await mentor.socket.timeout(5000).emitWithAck('timer:start');
    if (!r.ok) throw new Error(`start session: ${r.error.code} ${r.error.message}`);
    return r.value;
  } finally {
    mentor.close();
  }
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The stored document text, rebuilt by the history module exactly as the server loads it. */
export async function storedText(store: Store, sessionId: string): Promise<string> {
  return storedTextAt(store, sessionId, Number.MAX_SAFE_INTEGER);
}
