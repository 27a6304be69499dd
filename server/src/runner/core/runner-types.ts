// What callers of a runner see, whichever host it runs on: the Runner the app uses, and the
// LocalRunner a process owns (start-up warming, statistics). No socket or HTTP code here.
import type { Diagnostic, Fault, GradeResult, RunResult } from '../../../../common/exercise.ts';
import type { Exercise } from '../../exercises/types.ts';
import type { ProgramCacheLimits } from './cache.ts';
import type { ReferencePort, RunnerLog } from './grade.ts';
import type { RunnerLimits } from './limits.ts';
import type { CompilerCounters } from './ports.ts';
import type { JobClass, JobTicket, QueueObserver } from './queue.ts';

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
