// A real server on port 0 (temp DATA_DIR, real store, real exercises) and real socket.io clients
// that each hold a Y.Doc and speak y-protocols the way the browser does.
import { fakeRunner } from '../support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionSummary, TimerView } from '../../common/protocol.ts';
import type { Metrics } from '../../server/src/metrics.ts';
import type { App } from '../../server/src/app.ts';
import { testConfig, type Config } from '../../server/src/config.ts';
import { loadExercises } from '../../server/src/exercises/load.ts';
import type { ExerciseCatalog } from '../../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../../server/src/runner/index.ts';
import type { Clock } from '../../server/src/sessions/timer.ts';
import type { Keys } from '../../server/src/sessions/tokens.ts';
import { storedTextAt } from '../../server/src/history/stored.ts';
import type { Store } from '../../server/src/store/types.ts';
import { ROOT, TEST_EXERCISES_DIR } from '../support/paths.ts';
import { YClient, connect, tokenOf } from '../support/yjs-client.ts';
import { startInProcess } from '../support/server.ts';

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
export const noRunner: Runner = fakeRunner();

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
  const server = await startInProcess({
    config,
    mentorKey: 'test-mentor-key-0123456789',
    databaseUrl: o.databaseUrl,
    catalog: await exercises(),
    runner: o.runner ?? noRunner,
    clock: o.clock,
    log: o.log ?? (() => {}),
    metrics: o.metrics,
    offered: o.offered,
  });
  const { url, store, keys } = server;
  const app = server.assembly.app;
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
    close: (opts) => server.close(opts),
  };
}

export { YClient, connect, tokenOf };

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
