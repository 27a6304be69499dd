// Boot only: configuration, logger, store, exercises, runner, app; then listen and print the
// sign-in address, or on first start (no account yet) a single-use setup link for the first admin.
import { createApp } from './app.ts';
import { loadConfig, runnerLimitsOf } from './config.ts';
import { loadExercises } from './exercises/load.ts';
import { createLogger, logFn } from './log.ts';
import { createMetrics } from './metrics.ts';
import { createRunner } from './runner/index.ts';
import { loadKeys } from './sessions/tokens.ts';
import { describeStore, openStore } from './store/index.ts';
import { storedReferences } from './store/reference-outputs.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    // No logger yet (its format is part of the configuration): say it plainly.
    console.error((err as Error).message);
    process.exit(1);
  }
  const logger = createLogger({ format: config.logFormat, level: config.logLevel });
  const log = logFn(logger);
  try {
    await boot(config, logger, log);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
}

async function boot(config: ReturnType<typeof loadConfig>, logger: ReturnType<typeof createLogger>, log: ReturnType<typeof logFn>): Promise<void> {
  const keys = loadKeys(config.dataDir, config.mentorKey);
  const store = await openStore(config);
  logger.info({ dataDir: config.dataDir, store: describeStore(config) }, 'store opened');
  const catalog = await loadExercises(config.exercisesDir);
  logger.info({ dir: config.exercisesDir, count: catalog.list().length, default: catalog.defaultExercise.slug }, 'exercises loaded');
  const runnerLog = logger.child({ component: 'runner' });
  const metrics = createMetrics();
  const local = createRunner({
    log: { info: (msg: string) => runnerLog.info(msg), warn: (msg: string) => runnerLog.warn(msg) },
    limits: { maxQueued: config.maxQueuedRuns, ...runnerLimitsOf(config) },
    warmUp: true,
    observer: metrics.observer,
    // Expected outputs computed once per exercise content, shared by restarts and nodes.
    references: storedReferences(store),
  });
  metrics.watch(local);
  // Exercises whose expected outputs could not be prepared: new sessions may not use them.
  const unprepared = new Set<string>();

  // Only a cluster loads Redis: the single-process default never imports it. With REDIS_URL the
  // gradings go through the shared job queue, which this node's runner also consumes.
  const clusterLog = logFn(logger.child({ component: 'cluster' }));
  const grades = config.redisUrl ? await import('./cluster/grades.ts') : undefined;
  const queueOptions = { redisUrl: config.redisUrl ?? '', prefix: config.redisPrefix, log: clusterLog };
  const runner = grades ? grades.queuedRunner(local, config.maxQueuedRuns, queueOptions) : local;
  const worker = config.gradeOnServer ? grades?.startGradeWorker(local, catalog, queueOptions) : undefined;
  const cluster = config.redisUrl
    ? await (await import('./cluster/index.ts')).startCluster({
        redisUrl: config.redisUrl,
        prefix: config.redisPrefix,
        leaseMs: config.leaseMs,
        store,
        log: clusterLog,
      })
    : undefined;
  if (cluster) logger.info({ node: cluster.node, prefix: config.redisPrefix }, `cluster node ${cluster.node}`);

  const app = createApp({ config, store, catalog, runner, keys, log, cluster, metrics, offered: (slug) => !unprepared.has(slug) });
  const port = await app.listen();
  const origin = config.publicUrl ?? `http://localhost:${port}`;
  // MENTOR_KEY (or DATA_DIR/mentor.key) stays an admin API token for scripts; it is not printed.
  if (keys.mentorKeyGenerated) logger.info('admin API token generated: DATA_DIR/mentor.key (send it as Authorization: Bearer)');
  const setup = await app.accounts.setupLink();
  const signIn = () =>
    setup
      ? logger.info(`first start: create the first admin account (single-use link, valid 72 hours): ${origin}/mentor/join#invite=${setup}`)
      : logger.info(`mentor sign-in: ${origin}/mentor`);
  logger.info({ host: config.host, port }, `listening on http://${config.host}:${port}`);
  signIn();

  // Warm the compilers, then every exercise (driver objects, reference outputs), in the
  // background: the server already serves, and a run that comes first simply goes first.
  const warming = Date.now();
  runnerLog.info({ exercises: catalog.list().length }, 'warming the compilers and exercises in the background');
  local
    .ready()
    .then(() =>
      local.warm(catalog.list(), {
        onFailed: (slug) => {
          unprepared.add(slug);
          runnerLog.warn({ exercise: slug }, `exercise ${slug} is not offered: its expected outputs could not be prepared`);
        },
      }),
    )
    .then(
      ({ failed }) => {
        const ms = Date.now() - warming;
        runnerLog.info({ ms, exercisesWarm: catalog.list().length - failed.length, notPrepared: failed }, 'runner ready');
        signIn(); // again, so that the link is the last thing printed once runs are fast
      },
      (err: unknown) => runnerLog.error({ err }, 'runner failed to start'),
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took over 10 s; exiting anyway');
      process.exit(1);
    }, 10_000);
    force.unref();
    try {
      await app.close();
      await cluster?.close();
      await worker?.close();
      await store.close();
      if (runner !== local) await runner.close();
      // runner.close() may hang after a killed job (see GUIDE); do not wait for it forever.
      await Promise.race([local.close(), new Promise((r) => setTimeout(r, 2_000).unref())]);
      logger.info('stopped');
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

void main();
