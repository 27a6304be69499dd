// `npm run worker`: a runner-only process. It grades jobs from the shared queue (REDIS_URL) with
// its own compilers and serves nothing; add one per machine to grade more at once.
import { loadConfig, runnerLimitsOf } from './config.ts';
import { loadExercises } from './exercises/load.ts';
import { startGradeWorker } from './cluster/grades.ts';
import { createRunner } from './runner/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) throw new Error('REDIS_URL is required: a worker takes its gradings from the queue in Redis.');
  // The exercises must be the servers' own: jobs name an exercise by slug.
  const catalog = await loadExercises(config.exercisesDir);
  const runner = createRunner({
    log: { info: (msg: string) => console.log(`[runner] ${msg}`) },
    limits: runnerLimitsOf(config),
  });
  await runner.ready();
  const log = (msg: string, err?: unknown) => console.error(`[worker] ${msg}`, err ?? '');
  const worker = startGradeWorker(runner, catalog, { redisUrl: config.redisUrl, prefix: config.redisPrefix, log });
  await worker.waitUntilReady();
  console.log(`worker ready: ${runner.limits.concurrency} compiler(s), queue ${config.redisPrefix}bull`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the jobs in hand`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await worker.close(); // waits for the jobs it is running
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
