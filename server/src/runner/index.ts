// Public face of the runner on Node: the core's runner (core/runner.ts) over this process's
// ports, compilers and sandboxes in worker threads (compiler.ts, sandbox.ts), node:crypto's
// SHA-256 (hash.ts) and limits sized to this machine (limits.ts). No socket or HTTP code here;
// callers get plain results.
import { CompilerPool } from './compiler.ts';
import { assembleRunner, silentRunnerLog } from './core/runner.ts';
import type { LocalRunner, RunnerOptions } from './core/runner-types.ts';
import { sha256Hex } from './hash.ts';
import { resolveLimits } from './limits.ts';
import { Sandbox } from './sandbox.ts';

export { JOB_CLASSES, QueueFullError, type JobClass } from './core/queue.ts';
export { rejectedRun } from './core/runner.ts';
export { DEFAULT_LIMITS, type RunnerLimits } from './limits.ts';
export type { CompilerCounters } from './core/ports.ts';
export type { Expected, ReferencePort, RunnerLog } from './core/grade.ts';
export type { FilesRunResult, LocalRunner, RunOptions, Runner, RunnerObserver, RunnerOptions, RunnerStats } from './core/runner-types.ts';

export function createRunner(options: RunnerOptions = {}): LocalRunner {
  const { limits: overrides, ...rest } = options;
  const limits = resolveLimits(overrides);
  const log = rest.log ?? silentRunnerLog;
  // One sandbox worker per case lane of every job that can run at once.
  const sandbox = new Sandbox(limits.concurrency * limits.caseLanes);
  void sandbox.start().catch((error: unknown) => log.info(`sandbox workers could not start: ${error instanceof Error ? error.message : String(error)}`));
  return assembleRunner(
    {
      limits,
      sandbox,
      startCompilers: (warmUp) => new CompilerPool(limits.concurrency, log, { warmUp }),
      hash: sha256Hex,
      clock: { now: () => performance.now() },
    },
    { ...rest, log },
  );
}
