// The runner, whatever its host: refuses what cannot be compiled, queues jobs fairly (queue.ts),
// answers unchanged code from its caches, and builds, runs and grades with the host's compilers
// and sandbox. The host (../index.ts on Node) resolves the limits and supplies the ports.
import { utf8Length } from '../../../../common/source-limit.ts';
import type { Diagnostic } from '../../../../common/exercise.ts';
import type { Exercise } from '../../exercises/types.ts';
import { DEFAULT_PROGRAM_CACHE, GradeCache, ProgramCache, programKey } from './cache.ts';
import { parseDiagnostics } from './diagnostics.ts';
import { standaloneFuel } from './fuel.ts';
import { ReferenceCache, driverObjects, gradeSource, type GradeContext, type RunnerLog } from './grade.ts';
import type { RunnerLimits } from './limits.ts';
import type { Clock, Compiler, CompilerPort, Hasher, SandboxPort } from './ports.ts';
import { CANDIDATE_FILE, ObjectCache, build, execute, executeAll, shimObject } from './program.ts';
import { JobQueue } from './queue.ts';
import type { FilesRunResult, LocalRunner, RunOptions, RunnerOptions } from './runner-types.ts';

/** For callers that want no runner log lines. */
export const silentRunnerLog: RunnerLog = { info: () => {} };

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
  const bytes = utf8Length(source);
  if (bytes > limits.sourceBytes) return `the source is ${bytes} bytes; the limit is ${limits.sourceBytes} bytes`;
  return undefined;
}

/** A run refused or failed before the program ran: the error says why, everything else is empty. */
export function rejectedRun(error: string): FilesRunResult {
  return {
    status: 'rejected',
    exitCode: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    diagnostics: [],
    compilerOutput: '',
    error,
    timings: { compileMs: 0, runMs: 0 },
  };
}

/** What a host gives the runner: its resolved limits and its ports (ports.ts). */
export interface RunnerHost {
  limits: RunnerLimits;
  /** Runs for `limits.concurrency` jobs at once, `limits.caseLanes` runs each. */
  sandbox: SandboxPort;
  /**
   * Starts `limits.concurrency` compilers; each runs `warmUp` (when given) once it has loaded,
   * before it takes jobs, and again on a replacement.
   */
  startCompilers(warmUp: ((compiler: Compiler) => Promise<void>) | undefined): CompilerPort;
  hash: Hasher;
  clock: Clock;
}

/** The runner over a host's ports: a bounded queue of jobs, each with a warm compiler of its own. */
export function assembleRunner(host: RunnerHost, options: Omit<RunnerOptions, 'limits'> = {}): LocalRunner {
  const { limits, sandbox, hash, clock } = host;
  const log = options.log ?? silentRunnerLog;
  const observer = options.observer ?? {};
  const queue = new JobQueue(limits.concurrency, limits.maxQueued, observer, clock);
  /** Queues `job` under the caller's class and owner, and reports how it went. */
  function enqueue<T extends { status: string; cases?: Array<{ status: string }> }>(job: () => Promise<T>, runOptions: RunOptions): Promise<T> {
    const jobClass = runOptions.jobClass ?? 'interview';
    const timed = async () => {
      const started = clock.now();
      const result = await job();
      const timedOut = result.status === 'timeout' || (result.cases ?? []).some((c) => c.status === 'timeout');
      observer.finished?.(jobClass, clock.now() - started, timedOut);
      return result;
    };
    return queue.push(timed, runOptions.onQueued, { jobClass, owner: runOptions.owner });
  }
  const references = new ReferenceCache(hash, options.references, log);
  const objects = new ObjectCache(hash);
  const programs = new ProgramCache({ ...DEFAULT_PROGRAM_CACHE, ...options.programCache });
  const grades = new GradeCache();
  // Compile, link, run and symbolize a trapping program with the real flags on every compiler.
  const pool = host.startCompilers(
    options.warmUp !== true
      ? undefined
      : async (compiler) => {
          const built = await build(compiler, limits, WARM_UP_PROGRAM, await shimObject(objects, compiler, limits, true));
          if (built.kind !== 'built') throw new Error(`the warm-up program does not build (${built.kind}):\n${built.output}`);
          await executeAll(compiler, sandbox, limits, built.program, [{ stdin: '', fuel: limits.fuelCeiling }]);
        },
  );
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
      const cache = await programs.getOrBuild(programKey(hash, JSON.stringify([sources, headers]), undefined, limits), async () =>
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
      const key = programKey(hash, source, exercise, limits);
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
          const started = clock.now();
          try {
            // Stored by an earlier start or another node: the reference is neither compiled nor run
            // again (under the load of a start it could time out); only the driver is compiled.
            const stored = await references.known(limits, exercise);
            if (stored) await pool.use((compiler) => driverObjects(context(compiler), exercise!), { background: true });
            else await pool.use((compiler) => references.get(context(compiler), exercise!), { background: true });
            ready.push(exercise.slug);
            log.info(`exercise ${exercise.slug} ready in ${Math.round(clock.now() - started)} ms${stored ? ' (expected outputs stored)' : ''}`);
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
    stats: () => ({
      ...pool.counters,
      cacheHits: programs.hits,
      cacheMisses: programs.misses,
      cachedPrograms: programs.size,
      cachedBytes: programs.bytes,
      gradeHits: grades.hits,
      sandboxRuns: sandbox.counters.runs,
      sandboxTerminations: sandbox.counters.terminations,
      sandboxWorkers: sandbox.alive,
      executionsAlive: sandbox.busy,
      compilerRestarts: pool.restarts,
    }),
    pending: () => queue.size,
    waitingByClass: () => queue.waitingByClass(),
    isFull: () => queue.isFull,
    async close() {
      await Promise.all([pool.close(), sandbox.close()]);
    },
  };
}
