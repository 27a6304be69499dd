// Environment -> typed, frozen configuration, validated once at startup so a typo in PORT fails
// loudly instead of half-working.
import path from 'node:path';
import { z } from 'zod';
import type { IceServer } from '../../common/call.ts';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './log.ts';
import { checkPostgresUrl } from './store/postgres-url.ts';
import { IceServersSchema, checkTurnCredentials } from './ice-servers.ts';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  EXERCISES_DIR: z.string().min(1).default('./exercises'),
  CLIENT_DIR: z.string().min(1).default('./dist/client'),
  /** Mentor key; generated and stored in DATA_DIR when absent. */
  MENTOR_KEY: z.string().min(16, 'MENTOR_KEY must be at least 16 characters').max(256).optional(),
  /** Origin printed in the sign-in link (the API itself only hands out relative links). */
  PUBLIC_URL: z.url().optional(),
  /** Bearer token for GET /metrics (Prometheus); unset: /metrics is not served. */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').max(256).optional(),
  /** Set when behind a reverse proxy (express 'trust proxy'). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** Take a document snapshot after this many stored updates. */
  SNAPSHOT_EVERY: z.coerce.number().int().min(1).max(1_000_000).default(500),
  /** Runs allowed to wait for the runner; more are refused with 'busy'. */
  MAX_QUEUED_RUNS: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Compilers run at once (~0.5 GB each); the runner's default is one per core. */
  RUNNER_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /** Test cases of one grade run at once, each in its own instance; the runner's default is two. */
  RUNNER_CASE_LANES: z.coerce.number().int().min(1).max(16).optional(),
  /** Readable lines (the default) or one JSON object per line. */
  LOG_FORMAT: z.enum(['pretty', 'json'], { message: "LOG_FORMAT must be 'pretty' or 'json'" }).default('pretty'),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  /** Several nodes: the shared Redis (socket.io adapter, leases, relays, job queue). */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'REDIS_URL must be a redis:// or rediss:// URL' }).optional(),
  /** Prefix of every Redis key, channel and queue (deployments sharing one Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'REDIS_PREFIX: letters, digits, _ : . - (at most 64)')
    .default('c-interview:'),
  /** How long a dead node's sessions wait before another node takes them over. */
  LEASE_MS: z.coerce.number().int().min(1_000).max(120_000).default(5_000),
  /** With REDIS_URL: whether this server node grades queued jobs too (false: workers only). */
  GRADE_ON_SERVER: z.enum(['true', 'false']).default('true'),
  /** STUN/TURN servers handed to browsers for the call; none by default (no third party is contacted). */
  ICE_SERVERS: IceServersSchema.optional(),
  /** coturn's static-auth-secret: TURN entries of ICE_SERVERS without credentials get short-lived ones per call member. */
  TURN_SECRET: z.string().min(32, 'TURN_SECRET must be at least 32 characters').max(512).optional(),
  /** postgres://... selects PostgreSQL (several nodes may share it); unset: SQLite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .optional()
    .superRefine((url, ctx) => {
      if (url === undefined) return;
      try {
        checkPostgresUrl(url);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  exercisesDir: string;
  clientDir: string;
  mentorKey: string | undefined;
  metricsToken: string | undefined;
  publicUrl: string | undefined;
  trustProxy: boolean;
  snapshotEvery: number;
  maxQueuedRuns: number;
  runnerConcurrency: number | undefined;
  runnerCaseLanes: number | undefined;
  logFormat: LogFormat;
  logLevel: LogLevel;
  redisUrl: string | undefined;
  redisPrefix: string;
  leaseMs: number;
  gradeOnServer: boolean;
  /** PostgreSQL connection URL; undefined: SQLite in dataDir. */
  databaseUrl: string | undefined;
  /** For the room's call (common/call.ts); empty: host candidates only (a LAN, localhost). */
  iceServers: readonly IceServer[];
  /** Mints TURN credentials per call member (ice-servers.ts); undefined: ICE_SERVERS carries its own. */
  turnSecret: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // Empty variables count as unset, as most shells and .env files intend.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const turnProblem = checkTurnCredentials(e.ICE_SERVERS ?? [], e.TURN_SECRET);
  if (turnProblem) throw new Error(`Invalid configuration:\n  ${turnProblem}`);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    exercisesDir: path.resolve(e.EXERCISES_DIR),
    clientDir: path.resolve(e.CLIENT_DIR),
    mentorKey: e.MENTOR_KEY,
    metricsToken: e.METRICS_TOKEN,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY === 'true',
    snapshotEvery: e.SNAPSHOT_EVERY,
    maxQueuedRuns: e.MAX_QUEUED_RUNS,
    runnerConcurrency: e.RUNNER_CONCURRENCY,
    runnerCaseLanes: e.RUNNER_CASE_LANES,
    logFormat: e.LOG_FORMAT,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    leaseMs: e.LEASE_MS,
    gradeOnServer: e.GRADE_ON_SERVER === 'true',
    databaseUrl: e.DATABASE_URL,
    iceServers: e.ICE_SERVERS ?? [],
    turnSecret: e.TURN_SECRET,
  });
}

/** Defaults with overrides, for tests. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({ ...loadConfig({}), port: 0, host: '127.0.0.1', ...overrides });
}

/** The runner limits set in the environment; the others keep the runner's defaults. */
export function runnerLimitsOf(config: Config): { concurrency?: number; caseLanes?: number } {
  return {
    ...(config.runnerConcurrency ? { concurrency: config.runnerConcurrency } : {}),
    ...(config.runnerCaseLanes ? { caseLanes: config.runnerCaseLanes } : {}),
  };
}
