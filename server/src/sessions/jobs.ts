// The job machine shared by test runs (runs.ts) and console runs (console.ts): one job at a time
// per session, refused when the runner's queue is full, acknowledged at once with its queue
// position (then told of each move), tracked so that close() and tests can wait for it, and a
// "done" when the session has nothing in flight any more.
import crypto from 'node:crypto';
import type { Result, RunQueued } from '../../../common/protocol.ts';
import type { LogFn } from '../log.ts';
import type { Runner } from '../runner/index.ts';
import { fail, ok } from './errors.ts';
import { Background } from './live.ts';

export interface SessionJobsOptions {
  runner: Pick<Runner, 'isFull' | 'pending'>;
  log: LogFn;
  /** What a job is, in messages: 'run', 'console run'. */
  what: string;
  /**
   * Several nodes: takes the session's slot across all of them, or null when another node holds
   * it; the slot is given back by calling the function returned. One process needs none.
   */
  claim?: (sessionId: string) => Promise<(() => void) | null>;
  /** The job's queue position: once when it is accepted, then at every move. */
  queued(sessionId: string, queued: RunQueued): void;
  /** The session has no job in flight any more. */
  done(sessionId: string): void;
}

/** A job's work: it reports queue moves through `onQueued` and settles when stored and announced. */
export type JobWork = (runId: string, onQueued: (position: number) => void) => Promise<unknown>;

export class SessionJobs {
  /** Session id -> the id of its job waiting or running. */
  private pending = new Map<string, string>();
  private readonly jobs: Background;
  private stopped = false;

  constructor(private readonly o: SessionJobsOptions) {
    this.jobs = new Background(o.log, `${o.what} job`);
  }

  get closed(): boolean {
    return this.stopped;
  }

  isBusy(sessionId: string): boolean {
    return this.pending.has(sessionId);
  }

  /** Why a job cannot start now, or null. */
  refusal(sessionId: string): Result<RunQueued> | null {
    if (this.pending.has(sessionId)) return fail('conflict', `A ${this.o.what} is already in progress for this session.`);
    if (this.o.runner.isFull()) return fail('busy', 'The server is busy running code; try again in a moment.');
    return null;
  }

  /** Starts `work` in the session's slot; replies at once with the queue position. */
  async start(sessionId: string, work: JobWork): Promise<Result<RunQueued>> {
    const refusal = this.refusal(sessionId);
    if (refusal) return refusal;
    const runId = crypto.randomUUID();
    this.pending.set(sessionId, runId);
    const release = this.o.claim ? await this.o.claim(sessionId).catch(() => null) : () => {};
    if (!release) {
      this.pending.delete(sessionId);
      return fail('conflict', `A ${this.o.what} is already in progress for this session.`);
    }
    let position = this.o.runner.pending();
    let acked = false;
    const job = work(runId, (p) => {
      position = p;
      if (acked) this.o.queued(sessionId, { runId, position: p });
    }).finally(() => {
      release();
      this.pending.delete(sessionId);
      this.o.done(sessionId);
    });
    this.jobs.track(job);
    acked = true;
    const queued = { runId, position };
    this.o.queued(sessionId, queued);
    return ok(queued);
  }

  /** Tracks work outside the slots (a final grading) so that idle() waits for it too. */
  track(job: Promise<unknown>): void {
    this.jobs.track(job);
  }

  /** Resolves when every job in flight has been stored and announced. */
  async idle(): Promise<void> {
    await this.jobs.settle();
  }

  close(): void {
    this.stopped = true;
  }
}
