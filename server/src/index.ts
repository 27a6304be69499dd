// Boot only: configuration and logger, the assembly (assemble.ts), then listen and print the sign-in
// address, or on first start (no account yet) a single-use setup link for the first admin; warm
// the runner in the background, and stop cleanly on a signal.
import { assemble } from './assemble.ts';
import { loadConfig } from './config.ts';
import { createLogger, logFn } from './log.ts';
import { loadKeys } from './sessions/tokens.ts';
import { describeStore } from './store/index.ts';

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
  const runnerLog = logger.child({ component: 'runner' });
  const server = await assemble({
    config,
    keys,
    log,
    runnerLog: { info: (msg: string) => runnerLog.info(msg), warn: (msg: string) => runnerLog.warn(msg) },
    clusterLog: logFn(logger.child({ component: 'cluster' })),
  });
  logger.info({ dataDir: config.dataDir, store: describeStore(config) }, 'store opened');
  logger.info({ dir: config.exercisesDir, count: server.catalog.list().length, default: server.catalog.defaultExercise.slug }, 'exercises loaded');
  if (server.cluster) logger.info({ node: server.cluster.node, prefix: config.redisPrefix }, `cluster node ${server.cluster.node}`);

  const port = await server.app.listen();
  const origin = config.publicUrl ?? `http://localhost:${port}`;
  // MENTOR_KEY (or DATA_DIR/mentor.key) stays an admin API token for scripts; it is not printed.
  if (keys.mentorKeyGenerated) logger.info('admin API token generated: DATA_DIR/mentor.key (send it as Authorization: Bearer)');
  const setup = await server.app.accounts.setupLink();
  const signIn = () =>
    setup
      ? logger.info(`first start: create the first admin account (single-use link, valid 72 hours): ${origin}/mentor/join#invite=${setup}`)
      : logger.info(`mentor sign-in: ${origin}/mentor`);
  logger.info({ host: config.host, port }, `listening on http://${config.host}:${port}`);
  signIn();

  // Warm the compilers, then every exercise (driver objects, reference outputs), in the
  // background: the server already serves, and a run that comes first simply goes first.
  const warming = Date.now();
  const exercises = server.catalog.list().length;
  runnerLog.info({ exercises }, 'warming the compilers and exercises in the background');
  server
    .warm((slug) => runnerLog.warn({ exercise: slug }, `exercise ${slug} is not offered: its expected outputs could not be prepared`))
    .then(
      ({ failed }) => {
        const ms = Date.now() - warming;
        runnerLog.info({ ms, exercisesWarm: exercises - failed.length, notPrepared: failed }, 'runner ready');
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
      await server.close();
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
