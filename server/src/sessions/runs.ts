// Runs of a session's document: one at a time per session (jobs.ts), on the shared runner queue, stored
// and then announced. The final grading at the deadline goes through here too.
import crypto from 'node:crypto';
import type { GradeResult } from '../../../common/exercise.ts';
import type { Result, RunQueued } from '../../../common/protocol.ts';
import type { Exercise } from '../exercises/types.ts';
import { QueueFullError, type Runner } from '../runner/index.ts';
import type { RunKind, RunRecord, Store } from '../store/types.ts';
import type { LogFn } from '../log.ts';
import { SessionJobs } from './jobs.ts';
import type { Clock } from './timer.ts';
import type { Mode } from '../../../common/policy.ts';
import type { JobClass } from '../runner/index.ts';
import { recordFingerprints } from '../similarity/record.ts';

/** An interview's final grading waits at most this long between tries; it is never given up. */
const FINAL_RETRY_MAX_MS = 30_000;

export function jobClassOf(mode: Mode, kind: RunKind | 'console' | 'review'): JobClass {
  if (mode !== 'interview') return 'other';
  if (kind === 'final') return 'final';
  return kind === 'manual' ? 'interview' : 'other';
}

export interface RunTarget {
  sessionId: string;
  exercise: Exercise;
  /** Decides the run's place in the runner's queue (interviews first, finals before all). */
  mode: Mode;
  /** Who the run is for in the queue's fairness: the session, or a practising student across attempts. */
  owner: string;
  /** The stored document to grade and the last update it holds, read when the run starts. */
  code: () => Promise<{ source: string; updateId: number }>;
}

export interface RunListener {
  queued(sessionId: string, queued: RunQueued): void;
  result(sessionId: string, run: RunRecord): void;
  /** The session has no run or grading in flight any more. */
  done(sessionId: string): void;
}

export interface RunsOptions {
  store: Store;
  runner: Runner;
  clock: Clock;
  log: LogFn;
  /**
   * Several nodes: takes the session's run slot across all of them, or null when another node
   * runs it; the slot is given back by calling the function returned. One process needs none.
   */
  claim?: (sessionId: string) => Promise<(() => void) | null>;
  /** Where queue positions, results and "nothing in flight" go (the service). */
  listener: RunListener;
}

function failedGrade(exercise: Exercise, error: string): GradeResult {
  return {
    status: 'rejected',
    passed: 0,
    total: exercise.cases.length,
    cases: [],
    diagnostics: [],
    compilerOutput: '',
    error,
    timings: { compileMs: 0, runMs: 0 },
  };
}

export class Runs {
  private finals = new Map<string, Promise<void>>();
  private readonly jobs: SessionJobs;

  constructor(private readonly o: RunsOptions) {
    this.jobs = new SessionJobs({ runner: o.runner, log: o.log, what: 'run', claim: o.claim, queued: o.listener.queued, done: o.listener.done });
  }

  private get closed(): boolean {
    return this.jobs.closed;
  }

  isBusy(sessionId: string): boolean {
    return this.jobs.isBusy(sessionId) || this.finals.has(sessionId);
  }

  /** A manual run. Replies at once with the queue position; the result is announced later. */
  request(target: RunTarget, participantId: string): Promise<Result<RunQueued>> {
    return this.jobs.start(target.sessionId, (runId, onQueued) => this.execute(target, 'manual', participantId, runId, onQueued));
  }

  /**
   * Grades the final document against every case, once per session; stored as kind 'final'.
   * Tried again (backing off up to FINAL_RETRY_MAX_MS) until it is stored: a hiring decision must
   * not depend on how busy the server was when the interview ended. A restart resumes it too.
   */
  gradeFinal(target: RunTarget): Promise<void> {
    const existing = this.finals.get(target.sessionId);
    if (existing) return existing;
    const untilStored = async () => {
      for (let attempt = 0; !this.closed; attempt++) {
        if (await this.execute(target, 'final', null, crypto.randomUUID(), () => {})) return;
        await new Promise((resolve) => setTimeout(resolve, Math.min(FINAL_RETRY_MAX_MS, 1_000 * 2 ** attempt)).unref());
      }
    };
    const job = untilStored().finally(() => {
      this.finals.delete(target.sessionId);
      this.o.listener.done(target.sessionId);
    });
    this.finals.set(target.sessionId, job);
    this.jobs.track(job);
    return job;
  }

  /** Grades, stores and announces one run; false when a final grading must be tried again. */
  private async execute(target: RunTarget, kind: RunKind, participantId: string | null, runId: string, onQueued: (position: number) => void): Promise<boolean> {
    const requestedAt = this.o.clock.now();
    let code: { source: string; updateId: number } | undefined;
    let result: GradeResult;
    try {
      code = await target.code();
      result = await this.o.runner.grade(target.exercise, code.source, { onQueued, jobClass: jobClassOf(target.mode, kind), owner: target.owner });
    } catch (err) {
      if (this.closed) return true;
      this.o.log(`run ${runId} (${kind}) of session ${target.sessionId} failed`, err);
      if (kind === 'final') return false;
      const why = err instanceof QueueFullError ? 'The run queue is full; try again in a moment.' : 'The run failed on the server; try again.';
      result = failedGrade(target.exercise, why);
    }
    if (this.closed) return true;
    const record: RunRecord = {
      id: runId,
      sessionId: target.sessionId,
      at: this.o.clock.now(),
      requestedAt,
      kind,
      participantId,
      updateId: code?.updateId ?? null,
      source: code?.source ?? null,
      result,
    };
    try {
      await this.o.store.addRun(record);
    } catch (err) {
      this.o.log(`storing run ${runId} failed`, err);
      // Stored after all when another node (or an earlier try) got there first.
      return kind !== 'final' || (await this.o.store.hasFinalRun(target.sessionId).catch(() => false));
    }
    if (kind === 'final' && target.mode === 'interview' && code) {
      // For the comparison board; a failure here loses only speed (the board fingerprints anew).
      await recordFingerprints(this.o.store, target.exercise, target.sessionId, code.source, record.at).catch((err: unknown) =>
        this.o.log(`fingerprints of session ${target.sessionId} failed`, err),
      );
    }
    this.o.log.info?.('run finished', {
      session: target.sessionId,
      run: runId,
      kind,
      ms: record.at - requestedAt,
      outcome: result.status,
      passed: result.passed,
      total: result.total,
    });
    this.o.listener.result(target.sessionId, record);
    return true;
  }

  /** Resolves when every run and grading in flight has been stored and announced. */
  async idle(): Promise<void> {
    await this.jobs.idle();
  }

  close(): void {
    this.jobs.close();
  }
}
