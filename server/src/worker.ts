// `npm run worker`: a runner-only process (assembleWorker in assemble.ts). It grades jobs from the
// shared queue (REDIS_URL) with its own compilers and serves nothing; add one per machine to grade more at once.
import { assembleWorker } from './assemble.ts';
import { loadConfig } from './config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (msg: string, err?: unknown) => console.error(`[worker] ${msg}`, err ?? '');
  const runnerLog = { info: (msg: string) => console.log(`[runner] ${msg}`), warn: (msg: string) => console.warn(`[runner] ${msg}`) };
  const { runner, close } = await assembleWorker({ config, log, runnerLog });
  console.log(`worker ready: ${runner.limits.concurrency} compiler(s), queue ${config.redisPrefix}bull`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing the jobs in hand`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    try {
      await close();
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
