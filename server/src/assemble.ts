// The one assembly of a server: store, exercises, metrics, the runner (this process's, behind the
// shared job queue when REDIS_URL is set), the cluster, and the app over them. index.ts boots it;
// tests and benches call it with their own store, clock or runner, so they run the same wiring.
// Whatever is passed in belongs to the caller; whatever it creates, close() closes.
import { createApp, type App } from './app.ts';
import { runnerLimitsOf, type Config } from './config.ts';
import { loadExercises } from './exercises/load.ts';
import type { ExerciseCatalog } from './exercises/types.ts';
import type { LogFn } from './log.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createRunner, type LocalRunner, type Runner, type RunnerLog } from './runner/index.ts';
import type { Clock } from './sessions/timer.ts';
import type { Keys } from './sessions/tokens.ts';
import { openStore } from './store/index.ts';
import { storedReferences } from './store/reference-outputs.ts';
import type { Store } from './store/types.ts';
import type { Cluster } from './cluster/index.ts';
import type { startGradeWorker } from './cluster/grades.ts';

export interface AssembleOptions {
  config: Readonly<Config>;
  keys: Keys;
  log: LogFn;
  /** Defaults: the store the configuration names, and its exercises directory. */
  store?: Store;
  catalog?: ExerciseCatalog;
  /** A runner of the caller's (tests: a fake, or one shared by a file); by default this process's own. */
  runner?: Runner;
  /** Where this process's runner logs (index.ts: its logger's runner child). */
  runnerLog?: RunnerLog;
  /** The cluster's log (REDIS_URL only). */
  clusterLog?: LogFn;
  clock?: Clock;
  metrics?: Metrics;
  /** Which exercises new sessions may use besides those the warm-up withdraws; every one by default. */
  offered?: (slug: string) => boolean;
}

export interface Assembly {
  app: App;
  store: Store;
  catalog: ExerciseCatalog;
  metrics: Metrics;
  /** What sessions run on: the local runner, or the shared job queue in front of it. */
  runner: Runner;
  /** This process's own runner, when the assembly created it (not when the caller passed one). */
  local: LocalRunner | undefined;
  cluster: Cluster | undefined;
  /**
   * Warms the local runner: compilers, then every exercise (driver objects, reference outputs).
   * An exercise that cannot be prepared is withdrawn (new sessions refuse it) and passed to `failed`.
   */
  warm(failed?: (slug: string) => void): Promise<{ ready: string[]; failed: string[] }>;
  /** Closes the app, then what the assembly created: cluster, grade worker, store, queue, runner. */
  close(): Promise<void>;
}

export async function assemble(o: AssembleOptions): Promise<Assembly> {
  const { config } = o;
  const store = o.store ?? (await openStore(config));
  const catalog = o.catalog ?? (await loadExercises(config.exercisesDir));
  const metrics = o.metrics ?? createMetrics();
  const local = o.runner
    ? undefined
    : localRunner(config, o.runnerLog, {
        warmUp: true,
        observer: metrics.observer,
        // Expected outputs computed once per exercise content, shared by restarts and nodes.
        references: storedReferences(store),
      });
  if (local) metrics.watch(local);
  // Exercises whose expected outputs could not be prepared: new sessions may not use them.
  const unprepared = new Set<string>();

  // Only a cluster loads Redis: the single-process default never imports it. With REDIS_URL the
  // gradings go through the shared job queue, which this node's runner also consumes.
  const clusterLog = o.clusterLog ?? o.log;
  const grades = config.redisUrl ? await import('./cluster/grades.ts') : undefined;
  const queueOptions = { redisUrl: config.redisUrl ?? '', prefix: config.redisPrefix, log: clusterLog };
  const own = o.runner ?? local!;
  const runner = grades ? grades.queuedRunner(own, config.maxQueuedRuns, queueOptions) : own;
  const worker = config.gradeOnServer ? grades?.startGradeWorker(own, catalog, queueOptions) : undefined;
  const cluster = config.redisUrl
    ? await (await import('./cluster/index.ts')).startCluster({ redisUrl: config.redisUrl, prefix: config.redisPrefix, leaseMs: config.leaseMs, store, log: clusterLog })
    : undefined;

  const app = createApp({
    config,
    store,
    catalog,
    runner,
    keys: o.keys,
    clock: o.clock,
    log: o.log,
    cluster,
    metrics,
    offered: (slug) => !unprepared.has(slug) && (o.offered?.(slug) ?? true),
  });

  return {
    app,
    store,
    catalog,
    metrics,
    runner,
    local,
    cluster,
    async warm(failed) {
      if (!local) return { ready: catalog.list().map((e) => e.slug), failed: [] };
      await local.ready();
      return local.warm(catalog.list(), {
        onFailed: (slug) => {
          unprepared.add(slug);
          failed?.(slug);
        },
      });
    },
    async close() {
      await app.close();
      await cluster?.close();
      await worker?.close();
      if (!o.store) await store.close();
      if (runner !== own) await runner.close();
      // runner.close() may hang after a killed job (see GUIDE); do not wait for it forever.
      if (local) await Promise.race([local.close(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    },
  };
}

/** This process's own runner, with the configured limits (the server's and the worker's alike). */
function localRunner(config: Readonly<Config>, log: RunnerLog | undefined, extra: Omit<Parameters<typeof createRunner>[0], 'log' | 'limits'> = {}): LocalRunner {
  return createRunner({ ...extra, log, limits: { maxQueued: config.maxQueuedRuns, ...runnerLimitsOf(config) } });
}

export interface WorkerAssembly {
  runner: LocalRunner;
  worker: ReturnType<typeof startGradeWorker>;
  close(): Promise<void>;
}

/**
 * The runner-only process (`npm run worker`): its own runner consuming the shared job queue. It
 * serves nothing and opens no store; the exercises must be the servers' own (jobs name them by slug).
 */
export async function assembleWorker(o: { config: Readonly<Config>; log: LogFn; runnerLog?: RunnerLog }): Promise<WorkerAssembly> {
  const { config } = o;
  if (!config.redisUrl) throw new Error('REDIS_URL is required: a worker takes its gradings from the queue in Redis.');
  const catalog = await loadExercises(config.exercisesDir);
  const runner = localRunner(config, o.runnerLog);
  await runner.ready();
  const { startGradeWorker } = await import('./cluster/grades.ts');
  const worker = startGradeWorker(runner, catalog, { redisUrl: config.redisUrl, prefix: config.redisPrefix, log: o.log });
  await worker.waitUntilReady();
  return {
    runner,
    worker,
    async close() {
      await worker.close(); // waits for the jobs it is running
      await Promise.race([runner.close(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    },
  };
}
