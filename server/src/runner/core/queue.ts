// A bounded, fair job queue: at most `concurrency` jobs run at once and at most `maxQueued` wait.
// Waiting jobs start by class (an interview's final grading first, then live interview runs, then
// everything else), and within a class in arrival order, except that a job whose owner (a session,
// a practice identity) already holds a running slot lets the jobs of other owners go first: no
// owner holds two slots while someone else waits. Final gradings are never refused. With more than
// one slot, the last is kept for finals and interview runs: practice and console runs may hold all
// but one, so a flood of them never makes a live interview wait for a whole grade.
// Waiting callers learn their position (jobs ahead of them) whenever it changes.
import { platformClock } from './platform.ts';
import type { Clock } from './ports.ts';

export class QueueFullError extends Error {
  constructor(maxQueued: number) {
    super(`the run queue is full (${maxQueued} jobs waiting); try again in a moment`);
    this.name = 'QueueFullError';
  }
}

/** Job classes, most urgent first. */
export const JOB_CLASSES = ['final', 'interview', 'other'] as const;
export type JobClass = (typeof JOB_CLASSES)[number];

export interface JobTicket {
  /** Default 'interview': callers that do not say (the command line, checks) are not held back. */
  jobClass?: JobClass;
  /** Who the job is for; jobs without an owner are never held back for fairness. */
  owner?: string;
}

/** What the queue tells an observer (metrics) about each job. */
export interface QueueObserver {
  started?(jobClass: JobClass, waitedMs: number): void;
}

/** A caller's position callback must not be able to wedge the queue. */
function notify(onPosition: ((position: number) => void) | undefined, position: number): void {
  try {
    onPosition?.(position);
  } catch {
    // ignored: positions are advisory
  }
}

interface Waiting {
  start: () => void;
  rank: number;
  owner: string | undefined;
  arrived: number;
  onPosition?: (position: number) => void;
  lastPosition: number;
}

export class JobQueue {
  private running = 0;
  /** Jobs of class 'other' running (they may take at most concurrency - 1 slots). */
  private runningOther = 0;
  private readonly runningByOwner = new Map<string, number>();
  private waiting: Waiting[] = [];
  private arrivals = 0;

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
    private readonly observer: QueueObserver = {},
    /** Measures the waits reported to the observer. */
    private readonly clock: Clock = platformClock,
  ) {}

  /** Jobs running plus jobs waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  /** A job pushed now would be refused (final gradings never are). */
  get isFull(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxQueued;
  }

  /** Jobs waiting, per class. */
  waitingByClass(): Record<JobClass, number> {
    const counts = { final: 0, interview: 0, other: 0 };
    for (const entry of this.waiting) counts[JOB_CLASSES[entry.rank]!]++;
    return counts;
  }

  /**
   * Runs `job` when a slot is free and its turn has come. `onPosition(n)` is called with n >= 1
   * while n jobs would start before it, and with 0 when it starts.
   */
  push<T>(job: () => Promise<T>, onPosition?: (position: number) => void, ticket: JobTicket = {}): Promise<T> {
    const jobClass = ticket.jobClass ?? 'interview';
    if (this.isFull && jobClass !== 'final') return Promise.reject(new QueueFullError(this.maxQueued));
    const owner = ticket.owner;
    const queuedAt = this.clock.now();
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        if (jobClass === 'other') this.runningOther++;
        if (owner !== undefined) this.runningByOwner.set(owner, (this.runningByOwner.get(owner) ?? 0) + 1);
        notify(onPosition, 0);
        this.observer.started?.(jobClass, this.clock.now() - queuedAt);
        // Free the slot before the caller hears back, so `size` is exact when it does.
        job().then(
          (value) => {
            this.finish(owner, jobClass);
            resolve(value);
          },
          (error: unknown) => {
            this.finish(owner, jobClass);
            reject(error);
          },
        );
      };
      if (this.running < this.concurrency && this.waiting.length === 0 && this.mayStart(jobClass)) return start();
      this.waiting.push({ start, rank: JOB_CLASSES.indexOf(jobClass), owner, arrived: this.arrivals++, onPosition, lastPosition: -1 });
      this.reorder();
      this.startNext();
    });
  }

  /** Whether a job of this class may take a free slot now (the last one is kept for interviews). */
  private mayStart(jobClass: JobClass): boolean {
    return jobClass !== 'other' || this.concurrency === 1 || this.runningOther < this.concurrency - 1;
  }

  private holdsSlot(owner: string | undefined): boolean {
    return owner !== undefined && (this.runningByOwner.get(owner) ?? 0) > 0;
  }

  /** Class first, then arrival; owners already running wait behind everyone else of their class. */
  private reorder(): void {
    this.waiting.sort((a, b) => a.rank - b.rank || Number(this.holdsSlot(a.owner)) - Number(this.holdsSlot(b.owner)) || a.arrived - b.arrived);
    this.waiting.forEach((entry, index) => {
      if (entry.lastPosition === index + 1) return;
      entry.lastPosition = index + 1;
      notify(entry.onPosition, index + 1);
    });
  }

  private finish(owner: string | undefined, jobClass: JobClass): void {
    this.running--;
    if (jobClass === 'other') this.runningOther--;
    if (owner !== undefined) {
      const left = (this.runningByOwner.get(owner) ?? 1) - 1;
      if (left > 0) this.runningByOwner.set(owner, left);
      else this.runningByOwner.delete(owner);
    }
    this.startNext();
  }

  private startNext(): void {
    while (this.running < this.concurrency) {
      this.reorder();
      const index = this.waiting.findIndex((entry) => this.mayStart(JOB_CLASSES[entry.rank]!));
      if (index < 0) break;
      this.waiting.splice(index, 1)[0]!.start();
    }
    this.reorder();
  }
}
