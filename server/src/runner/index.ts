// Public face of the runner: a bounded queue of jobs, each with a warm compiler of its own.
// No socket or HTTP code here; callers get plain results.
import type { Diagnostic, Fault, GradeResult, RunResult } from '../../../common/exercise.ts';
import type { Exercise } from '../exercises/types.ts';
import { DEFAULT_PROGRAM_CACHE, GradeCache, ProgramCache, programKey, type ProgramCacheLimits } from './cache.ts';
import { CompilerPool, type Compiler, type CompilerCounters } from './compiler.ts';
import { parseDiagnostics } from './diagnostics.ts';
import { standaloneFuel } from './fuel.ts';
import { ReferenceCache, driverObjects, gradeSource, type GradeContext, type ReferencePort, type RunnerLog } from './grade.ts';
import { resolveLimits, type RunnerLimits } from './limits.ts';
import { CANDIDATE_FILE, ObjectCache, build, execute, executeAll, shimObject } from './program.ts';
import { JobQueue, type JobClass, type JobTicket, type QueueObserver } from './queue.ts';
import { Sandbox } from './sandbox.ts';

export { JOB_CLASSES, QueueFullError, type JobClass } from './queue.ts';
export { DEFAULT_LIMITS, type RunnerLimits } from './limits.ts';
export type { CompilerCounters } from './compiler.ts';
export type { Expected, ReferencePort, RunnerLog } from './grade.ts';

export interface RunOptions extends JobTicket {
  stdin?: string;
  /** Called with the number of jobs ahead of this one whenever it changes (0 = running). */
  onQueued?: (position: number) => void;
}

/** A run of several files: each message and a located fault name the file they are in. */
export interface FilesRunResult extends Omit<RunResult, 'diagnostics' | 'fault'> {
  diagnostics: Array<Diagnostic & { file: string }>;
  fault?: Fault & { file?: string };
}

export interface Runner {
  readonly limits: RunnerLimits;
  /** Resolves when every compiler is loaded and warm. */
  ready(): Promise<void>;
  /** Compile and run one stand-alone program (it has its own main). */
  run(source: string, options?: RunOptions): Promise<RunResult>;
  /**
   * Compile several files (by name; one of them holds main) with these public headers and the
   * runner's shim, never a test driver, and run the program once with `stdin`. Same limits and
   * queue as run(); each source is bounded like one.
   */
  runFiles(sources: Record<string, string>, headers: Record<string, string>, options?: RunOptions): Promise<FilesRunResult>;
  /** Compile the candidate's file with the exercise's driver and grade every case. */
  grade(exercise: Exercise, source: string, options?: RunOptions): Promise<GradeResult>;
  /** Jobs waiting or running. */
  pending(): number;
  /** True when a new job would be refused with QueueFullError. */
  isFull(): boolean;
  close(): Promise<void>;
}

export interface RunnerStats extends CompilerCounters {
  /** Builds served from the program cache, and builds that had to compile. */
  cacheHits: number;
  cacheMisses: number;
  cachedPrograms: number;
  cachedBytes: number;
  /** Grades answered from the grade cache, with neither compiler nor sandbox. */
  gradeHits: number;
  /** Program runs in the sandbox; workers terminated at a wall-clock limit; sandbox workers alive. */
  sandboxRuns: number;
  sandboxTerminations: number;
  sandboxWorkers: number;
  /** Program runs in progress right now. */
  executionsAlive: number;
  /** Compilers replaced after a compile passed its limit (or died). */
  compilerRestarts: number;
}

/** Hears of every job, for metrics. */
export interface RunnerObserver extends QueueObserver {
  /** A job ended after `ms` of work (waiting excluded); `timedOut`: it or one of its cases hit a limit of time. */
  finished?(jobClass: JobClass, ms: number, timedOut: boolean): void;
}

/** The runner this process owns (the Runner the app sees, plus start-up and statistics). */
export interface LocalRunner extends Runner {
  /**
   * Prepares each exercise in the background (driver object, reference outputs: from the
   * `references` port when stored there, otherwise computed and stored), logging "exercise SLUG
   * ready in N ms" as each is done; one that fails is tried once more after the others, then
   * logged as a warning and passed to `onFailed`. Ordinary jobs go first. Never rejects.
   */
  warm(exercises: Exercise[], options?: { onFailed?: (slug: string) => void }): Promise<{ ready: string[]; failed: string[] }>;
  stats(): RunnerStats;
  /** Jobs waiting, per class (this process's queue). */
  waitingByClass(): Record<JobClass, number>;
}

export interface RunnerOptions {
  limits?: Partial<RunnerLimits>;
  log?: RunnerLog;
  /** Where expected outputs are kept across restarts and nodes; without it, in memory only. */
  references?: ReferencePort;
  /** Bounds of the compiled-program cache (by content). */
  programCache?: Partial<ProgramCacheLimits>;
  /**
   * Warm every compiler up with a full build, run and symbolization before it takes jobs (a few
   * seconds per compiler at start; the server's first grades are then as fast as later ones).
   * Off for one-shot uses such as the command line.
   */
  warmUp?: boolean;
  observer?: RunnerObserver;
}

const silent: RunnerLog = { info: () => {} };

/** Compiled with the full flags and run on every compiler at start, so that it is warm. */
const WARM_UP_PROGRAM = `#include <stdio.h>
static int read_value(const int *p) { return *p; }
int main(int argc, char **argv) {
  (void)argv;
  printf("%d\\n", read_value(argc > 5 ? &argc : 0));
  return 0;
}
`;

/** Why a source is refused before any compiling, or undefined when it is acceptable. */
function refuseSource(source: unknown, limits: RunnerLimits): string | undefined {
  if (typeof source !== 'string') return 'the source must be text';
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.sourceBytes) return `the source is ${bytes} bytes; the limit is ${limits.sourceBytes} bytes`;
  return undefined;
}

function rejectedRun(error: string): FilesRunResult {
  return {
    status: 'rejected', exitCode: null, stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false,
    diagnostics: [], compilerOutput: '', error, timings: { compileMs: 0, runMs: 0 },
  };
}

export function createRunner(options: RunnerOptions = {}): LocalRunner {
  const limits = resolveLimits(options.limits);
  const log = options.log ?? silent;
  // One sandbox worker per case lane of every job that can run at once.
  const sandbox = new Sandbox(limits.concurrency * limits.caseLanes);
  void sandbox.start().catch((error: unknown) => log.info(`sandbox workers could not start: ${error instanceof Error ? error.message : String(error)}`));
  const observer = options.observer ?? {};
  const queue = new JobQueue(limits.concurrency, limits.maxQueued, observer);
  /** Queues `job` under the caller's class and owner, and reports how it went. */
  function enqueue<T extends { status: string; cases?: Array<{ status: string }> }>(job: () => Promise<T>, runOptions: RunOptions): Promise<T> {
    const jobClass = runOptions.jobClass ?? 'interview';
    const timed = async () => {
      const started = performance.now();
      const result = await job();
      const timedOut = result.status === 'timeout' || (result.cases ?? []).some((c) => c.status === 'timeout');
      observer.finished?.(jobClass, performance.now() - started, timedOut);
      return result;
    };
    return queue.push(timed, runOptions.onQueued, { jobClass, owner: runOptions.owner });
  }
  const references = new ReferenceCache(options.references, log);
  const objects = new ObjectCache();
  const programs = new ProgramCache({ ...DEFAULT_PROGRAM_CACHE, ...options.programCache });
  const grades = new GradeCache();
  const pool = new CompilerPool(limits.concurrency, log, {
    // Compile, link, run and symbolize a trapping program with the real flags on every compiler.
    warmUp: options.warmUp !== true ? undefined : async (compiler) => {
      const built = await build(compiler, limits, WARM_UP_PROGRAM, await shimObject(objects, compiler, limits, true));
      if (built.kind !== 'built') throw new Error(`the warm-up program does not build (${built.kind}):\n${built.output}`);
      await executeAll(compiler, sandbox, limits, built.program, [{ stdin: '', fuel: limits.fuelCeiling }]);
    },
  });
  const context = (compiler: Compiler): GradeContext => ({ compiler, sandbox, limits, references, objects, programs, grades });

  /** Diagnostics per file; linker errors (no file of their own) go to the last file, the one with main. */
  function diagnosticsOf(output: string, names: string[]): Array<Diagnostic & { file: string }> {
    return names.flatMap((file, i) =>
      parseDiagnostics(output, file)
        .filter((d) => i === names.length - 1 || !d.message.startsWith('link error:'))
        .map((d) => ({ ...d, file })),
    );
  }

  async function runJob(sources: Record<string, string>, headers: Record<string, string>, stdin: string): Promise<FilesRunResult> {
    const names = Object.keys(sources);
    return pool.use(async (compiler) => {
      // Cached by content: the files, their names and the headers they see.
      const cache = await programs.getOrBuild(programKey(JSON.stringify([sources, headers]), undefined, limits), async () =>
        build(compiler, limits, sources, await shimObject(objects, compiler, limits), headers),
      );
      const built = cache.cached ? { ...cache.result, ms: 0 } : cache.result;
      const base = { stdout: '', stderr: '', stdoutTruncated: false, stderrTruncated: false, compilerOutput: built.output };
      const diagnostics = diagnosticsOf(built.output, names);
      if (built.kind !== 'built') {
        const status = built.kind === 'compile_error' ? 'compile_error' : built.kind;
        return { ...base, status, exitCode: null, diagnostics, error: built.error, timings: { compileMs: built.ms, runMs: 0 } };
      }
      // No reference to measure against: the steps an idle machine does in runMs (fuel.ts), with
      // twice runMs on the wall clock; no verdict hangs on it, so a wall-clock timeout stands.
      const run = await execute(compiler, sandbox, limits, built.program, { stdin, fuel: standaloneFuel(limits) }, { ownFiles: names, runMs: 2 * limits.runMs, confirm: false });
      const result: FilesRunResult = {
        status: 'ok',
        exitCode: run.exitCode,
        stdout: run.stdout,
        stderr: run.stderr,
        stdoutTruncated: run.stdoutTruncated,
        stderrTruncated: run.stderrTruncated,
        diagnostics,
        compilerOutput: built.output,
        timings: { compileMs: built.ms, runMs: run.ms },
      };
      if (run.fault) result.fault = run.fault;
      if (run.kind === 'timeout') result.status = 'timeout';
      else if (run.kind === 'output_limit') result.status = 'output_limit';
      else if (run.outOfMemory && (run.kind === 'trapped' || run.exitCode !== 0)) result.status = 'memory_limit';
      else if (run.kind === 'trapped') result.status = 'runtime_error';
      return result;
    });
  }

  return {
    limits,
    ready: () => pool.ready(),
    async run(source, runOptions = {}) {
      const refusal = refuseSource(source, limits);
      if (refusal) return rejectedRun(refusal);
      // One file, named as before: its messages need no file name.
      const result = await enqueue(() => runJob({ [CANDIDATE_FILE]: source }, {}, runOptions.stdin ?? ''), runOptions);
      return { ...result, diagnostics: result.diagnostics.map(({ file: _file, ...d }) => d) };
    },
    async runFiles(sources, headers, runOptions = {}) {
      const names = Object.keys(sources);
      if (names.length === 0) return rejectedRun('there is nothing to compile');
      for (const name of names) {
        if (!/^[A-Za-z0-9_-]+\.c$/.test(name)) return rejectedRun(`${name}: not a C file name`);
        const refusal = refuseSource(sources[name], limits);
        if (refusal) return rejectedRun(`${name}: ${refusal}`);
      }
      return enqueue(() => runJob(sources, headers, runOptions.stdin ?? ''), runOptions);
    },
    async grade(exercise, source, runOptions = {}) {
      const refusal = refuseSource(source, limits);
      if (refusal) {
        return { status: 'rejected', passed: 0, total: exercise.cases.length, cases: [], diagnostics: [], compilerOutput: '', error: refusal, timings: { compileMs: 0, runMs: 0 } };
      }
      // Unchanged code whose grade cannot differ is answered at once, without waiting in the queue.
      const key = programKey(source, exercise, limits);
      const known = grades.get(key);
      if (known) return known;
      // Practice, console and review grades run their cases one at a time: with the last compiler
      // kept for interviews (queue.ts), this also leaves a core to them (measured: a flood of
      // spinning practice made interview runs 2.6x slower with two lanes).
      const lanes = (runOptions.jobClass ?? 'interview') === 'other' ? { caseLanes: 1 } : {};
      const job = () => pool.use((compiler) => gradeSource({ ...context(compiler), ...lanes }, exercise, source, key));
      return enqueue(job, runOptions);
    },
    async warm(exercises, warmOptions = {}) {
      const ready: string[] = [];
      const failed: string[] = [];
      const waiting = [...exercises];
      const again: Exercise[] = [];
      let lastTry = false;
      const prepareNext = async (): Promise<void> => {
        for (let exercise = waiting.shift(); exercise; exercise = waiting.shift()) {
          const started = performance.now();
          try {
            // Stored by an earlier start or another node: the reference is neither compiled nor run
            // again (under the load of a start it could time out); only the driver is compiled.
            const stored = await references.known(limits, exercise);
            if (stored) await pool.use((compiler) => driverObjects(context(compiler), exercise!), { background: true });
            else await pool.use((compiler) => references.get(context(compiler), exercise!), { background: true });
            ready.push(exercise.slug);
            log.info(`exercise ${exercise.slug} ready in ${Math.round(performance.now() - started)} ms${stored ? ' (expected outputs stored)' : ''}`);
          } catch (error) {
            const why = `exercise ${exercise.slug} could not be prepared: ${error instanceof Error ? error.message : String(error)}`;
            if (!lastTry) {
              again.push(exercise);
              log.info(`${why}; trying once more when the others are done`);
              continue;
            }
            failed.push(exercise.slug);
            if (log.warn) log.warn(why);
            else log.info(why);
            warmOptions.onFailed?.(exercise.slug);
          }
        }
      };
      await Promise.all(Array.from({ length: limits.concurrency }, prepareNext));
      // A second try, one at a time, once the start's burst of work is over: a timeout under that
      // load is not a broken exercise.
      lastTry = true;
      waiting.push(...again);
      await prepareNext();
      return { ready, failed };
    },
    stats: () => ({ ...pool.counters, cacheHits: programs.hits, cacheMisses: programs.misses, cachedPrograms: programs.size, cachedBytes: programs.bytes, gradeHits: grades.hits,
      sandboxRuns: sandbox.counters.runs, sandboxTerminations: sandbox.counters.terminations, sandboxWorkers: sandbox.alive,
      executionsAlive: sandbox.busy, compilerRestarts: pool.restarts }),
    pending: () => queue.size,
    waitingByClass: () => queue.waitingByClass(),
    isFull: () => queue.isFull,
    async close() {
      await Promise.all([pool.close(), sandbox.close()]);
    },
  };
}
