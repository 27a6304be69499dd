// Runs of a session's document: one at a time per session, on the shared runner queue, stored
// and then announced. The final grading at the deadline goes through here too.
import crypto from 'node:crypto';
import type { GradeResult } from '../../../common/exercise.ts';
import type { RunQueued } from '../../../common/protocol.ts';
import type { Exercise } from '../exercises/types.ts';
import { QueueFullError, type Runner } from '../runner/index.ts';
import type { RunKind, RunRecord, Store } from '../store/types.ts';
import { fail, ok } from './errors.ts';
import type { LogFn } from '../log.ts';
import { Background } from './live.ts';
import type { Clock } from './timer.ts';
import type { Result } from '../../../common/protocol.ts';

export interface RunTarget {
  sessionId: string;
  exercise: Exercise;
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
  /** Session id -> id of its run waiting or running. */
  private pendingBySession = new Map<string, string>();
  private finals = new Map<string, Promise<void>>();
  private readonly jobs: Background;
  private closed = false;
  listener: RunListener = { queued: () => {}, result: () => {}, done: () => {} };

  constructor(private readonly o: RunsOptions) {
    this.jobs = new Background(o.log, 'run job');
  }

  isBusy(sessionId: string): boolean {
    return this.pendingBySession.has(sessionId) || this.finals.has(sessionId);
  }

  /** A manual run. Replies at once with the queue position; the result is announced later. */
  async request(target: RunTarget, participantId: string): Promise<Result<RunQueued>> {
    const inProgress = fail<RunQueued>('conflict', 'A run is already in progress for this session.');
    if (this.pendingBySession.has(target.sessionId)) return inProgress;
    if (this.o.runner.isFull()) return fail('busy', 'The server is busy running code; try again in a moment.');
    const runId = crypto.randomUUID();
    this.pendingBySession.set(target.sessionId, runId);
    const release = this.o.claim ? await this.o.claim(target.sessionId).catch(() => null) : () => {};
    if (!release) {
      this.pendingBySession.delete(target.sessionId);
      return inProgress;
    }
    let position = this.o.runner.pending();
    let acked = false;
    const job = this.execute(target, 'manual', participantId, runId, (p) => {
      position = p;
      if (acked) this.listener.queued(target.sessionId, { runId, position: p });
    }).finally(() => {
      release();
      this.pendingBySession.delete(target.sessionId);
      this.listener.done(target.sessionId);
    });
    this.jobs.track(job);
    acked = true;
    const queued = { runId, position };
    this.listener.queued(target.sessionId, queued);
    return ok(queued);
  }

  /** Grades the final document against every case, once per session; stored as kind 'final'. */
  gradeFinal(target: RunTarget): Promise<void> {
    const existing = this.finals.get(target.sessionId);
    if (existing) return existing;
    const job = this.execute(target, 'final', null, crypto.randomUUID(), () => {}).finally(() => {
      this.finals.delete(target.sessionId);
      this.listener.done(target.sessionId);
    });
    this.finals.set(target.sessionId, job);
    this.jobs.track(job);
    return job;
  }

  private async execute(
    target: RunTarget,
    kind: RunKind,
    participantId: string | null,
    runId: string,
    onQueued: (position: number) => void,
  ): Promise<void> {
    const requestedAt = this.o.clock.now();
    let code: { source: string; updateId: number } | undefined;
    let result: GradeResult;
    try {
      code = await target.code();
      result = await this.gradeWithRetry(target.exercise, code.source, kind, onQueued);
    } catch (err) {
      if (this.closed) return;
      this.o.log(`run ${runId} (${kind}) of session ${target.sessionId} failed`, err);
      // A final grading that failed is retried on the next start (the session has no final run).
      if (kind === 'final') return;
      const why = err instanceof QueueFullError ? 'The run queue is full; try again in a moment.' : 'The run failed on the server; try again.';
      result = failedGrade(target.exercise, why);
    }
    if (this.closed) return;
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
      return;
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
    this.listener.result(target.sessionId, record);
  }

  /** A full queue is only a reason to wait for the final grading, which must happen. */
  private async gradeWithRetry(exercise: Exercise, source: string, kind: RunKind, onQueued: (p: number) => void): Promise<GradeResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.o.runner.grade(exercise, source, { onQueued });
      } catch (err) {
        if (kind !== 'final' || !(err instanceof QueueFullError) || attempt >= 60 || this.closed) throw err;
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }

  /** Resolves when every run and grading in flight has been stored and announced. */
  async idle(): Promise<void> {
    await this.jobs.settle();
  }

  close(): void {
    this.closed = true;
  }
}
