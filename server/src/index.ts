// Boot only: configuration, store, exercises, runner, app; then listen and print the sign-in link.
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadExercises } from './exercises/load.ts';
import { createRunner } from './runner/index.ts';
import { loadKeys } from './sessions/tokens.ts';
import { describeStore, openStore } from './store/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const keys = loadKeys(config.dataDir, config.mentorKey);
  const store = await openStore(config);
  const catalog = await loadExercises(config.exercisesDir);
  const local = createRunner({
    log: { info: (msg: string) => console.log(`[runner] ${msg}`) },
    limits: { maxQueued: config.maxQueuedRuns, ...(config.runnerConcurrency ? { concurrency: config.runnerConcurrency } : {}) },
  });
  // Warm the compiler in the background; the first run waits for it if needed.
  local.ready().then(
    () => console.log('runner ready'),
    (err: unknown) => console.error('[runner] failed to start', err),
  );

  // Only a cluster loads Redis: the single-process default never imports it. With REDIS_URL the
  // gradings go through the shared job queue, which this node's runner also consumes.
  const log = (msg: string, err?: unknown) => console.error(`[cluster] ${msg}`, err ?? '');
  const grades = config.redisUrl ? await import('./cluster/grades.ts') : undefined;
  const queueOptions = { redisUrl: config.redisUrl ?? '', prefix: config.redisPrefix, log };
  const runner = grades ? grades.queuedRunner(local, config.maxQueuedRuns, queueOptions) : local;
  const worker = config.gradeOnServer ? grades?.startGradeWorker(local, catalog, queueOptions) : undefined;
  const cluster = config.redisUrl
    ? await (await import('./cluster/index.ts')).startCluster({
        redisUrl: config.redisUrl,
        prefix: config.redisPrefix,
        leaseMs: config.leaseMs,
        store,
        log,
      })
    : undefined;
  if (cluster) console.log(`cluster node ${cluster.node} (redis ${config.redisPrefix})`);

  const app = createApp({ config, store, catalog, runner, keys, cluster });
  const port = await app.listen();
  const origin = config.publicUrl ?? `http://localhost:${port}`;
  console.log(`listening on http://${config.host}:${port}`);
  console.log(`data: ${config.dataDir}; store: ${describeStore(config)}`);
  console.log(`mentor sign-in${keys.mentorKeyGenerated ? ' (new key, stored in DATA_DIR/mentor.key)' : ''}: ${origin}/mentor#key=${keys.mentorKey}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await cluster?.close();
      await worker?.close();
      await store.close();
      if (runner !== local) await runner.close();
      // runner.close() may hang after a killed job (see GUIDE); do not wait for it forever.
      await Promise.race([local.close(), new Promise((r) => setTimeout(r, 2_000).unref())]);
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
