// Boot only: configuration, store, exercises, runner, app; then listen and print the sign-in link.
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadExercises } from './exercises/load.ts';
import { createRunner } from './runner/index.ts';
import { loadKeys } from './sessions/tokens.ts';
import { openSqliteStore } from './store/sqlite.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const keys = loadKeys(config.dataDir, config.mentorKey);
  const store = openSqliteStore(config.dataDir);
  const catalog = await loadExercises(config.exercisesDir);
  const runner = createRunner({
    log: { info: (msg: string) => console.log(`[runner] ${msg}`) },
    limits: { maxQueued: config.maxQueuedRuns, ...(config.runnerConcurrency ? { concurrency: config.runnerConcurrency } : {}) },
    warmUp: true,
  });

  const app = createApp({ config, store, catalog, runner, keys });
  const port = await app.listen();
  const origin = config.publicUrl ?? `http://localhost:${port}`;
  const signIn = () =>
    console.log(`mentor sign-in${keys.mentorKeyGenerated ? ' (new key, stored in DATA_DIR/mentor.key)' : ''}: ${origin}/mentor#key=${keys.mentorKey}`);
  console.log(`listening on http://${config.host}:${port}`);
  console.log(`data: ${config.dataDir}`);
  signIn();

  // Warm the compilers, then every exercise (driver objects, reference outputs), in the
  // background: the server already serves, and a run that comes first simply goes first.
  const warming = Date.now();
  console.log(`[runner] warming ${catalog.list().length} exercises in the background`);
  runner
    .ready()
    .then(() => runner.warm(catalog.list()))
    .then(
      ({ failed }) => {
        const seconds = ((Date.now() - warming) / 1000).toFixed(1);
        console.log(`runner ready: ${catalog.list().length - failed.length} exercises warm in ${seconds} s${failed.length ? ` (not prepared: ${failed.join(', ')})` : ''}`);
        signIn(); // again, so that the link is the last thing printed once runs are fast
      },
      (err: unknown) => console.error('[runner] failed to start', err),
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await store.close();
      // runner.close() may hang after a killed job (see GUIDE); do not wait for it forever.
      await Promise.race([runner.close(), new Promise((r) => setTimeout(r, 2_000).unref())]);
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
