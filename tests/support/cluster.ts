// Several real server nodes (and runner workers) as child processes on one database and one
// Redis, for the cluster tests and the multi-node benchmarks. TEST_REDIS_URL names the Redis;
// TEST_DATABASE_URL a PostgreSQL database (otherwise the nodes share one SQLite file).
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { TEST_EXERCISES_DIR } from './paths.ts';
import { spawnServer } from './server-process.ts';
import { schemaForDataDir } from './postgres.ts';

export const MENTOR_KEY = 'cluster-mentor-key-0123456789';

/** Why the cluster tests cannot run here, or null. Under CI a missing service is an error. */
export function clusterUnavailable(): string | null {
  if (process.env['TEST_REDIS_URL']) return null;
  const why = 'cluster tests SKIPPED: set TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) and TEST_DATABASE_URL (e.g. postgres:///postgres) to run them';
  if (process.env['CI']) throw new Error(`${why} (CI is set: they must run)`);
  console.warn(why);
  return why;
}

export interface Proc {
  child: ChildProcess;
  /** Everything it printed. */
  output(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface NodeProc extends Proc {
  url: string;
}

export class ClusterRig {
  readonly prefix = `ci-test-${crypto.randomBytes(4).toString('hex')}:`;
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-cluster-'));
  readonly redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  /** With TEST_DATABASE_URL: this rig's own schema there (see start()); otherwise SQLite in dataDir. */
  databaseUrl: string | undefined;
  readonly redis = new Redis(this.redisUrl);
  private procs: Proc[] = [];
  private dropSchema: (() => Promise<void>) | undefined;

  /** Prepares the database: a fresh PostgreSQL schema when TEST_DATABASE_URL is set. */
  async start(): Promise<this> {
    if (process.env['TEST_DATABASE_URL']) {
      const schema = await schemaForDataDir(this.dataDir);
      this.databaseUrl = schema.url;
      this.dropSchema = schema.drop;
    }
    return this;
  }

  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  private env(more: Record<string, string>): Record<string, string> {
    return {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: this.dataDir, // keys (mentor, links) are shared through it
      MENTOR_KEY,
      EXERCISES_DIR: TEST_EXERCISES_DIR,
      CLIENT_DIR: path.join(this.dataDir, 'no-client'),
      RUNNER_CONCURRENCY: '1',
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      LEASE_MS: '2000',
      ...(this.databaseUrl ? { DATABASE_URL: this.databaseUrl } : {}),
      ...this.extraEnv,
      ...more,
    };
  }

  private async spawn(script: string, ready: RegExp, env: Record<string, string>): Promise<{ proc: Proc; match: RegExpExecArray }> {
    const server = spawnServer({ script, env: this.env(env) });
    const proc: Proc = { child: server.child, output: server.output, kill9: server.kill9, stop: async () => void (await server.stop()) };
    this.procs.push(proc);
    return { proc, match: await server.waitFor(ready, 90_000) };
  }

  /** A server node; resolves once it listens. */
  async node(env: Record<string, string> = {}): Promise<NodeProc> {
    const { proc, match } = await this.spawn('server/src/index.ts', /listening on (http:\/\/[\d.]+:\d+)/, env);
    return { ...proc, url: match[1]! };
  }

  /** A runner-only worker (`npm run worker`); resolves once it consumes jobs. */
  async worker(env: Record<string, string> = {}): Promise<Proc> {
    return (await this.spawn('server/src/worker.ts', /worker ready/, env)).proc;
  }

  /** The node id holding a session's lease (null when none). */
  owner(sessionId: string): Promise<string | null> {
    return this.redis.get(`${this.prefix}owner:${sessionId}`);
  }

  /** Stops every process and removes this rig's Redis keys (only its own prefix) and files. */
  async close(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.kill9()));
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    this.redis.disconnect();
    await this.dropSchema?.();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** True when `node` (a node id, host:pid:random) is the process `proc`. */
export function isProcess(node: string | null, proc: Proc): boolean {
  return node !== null && node.split(':')[1] === String(proc.child.pid);
}
