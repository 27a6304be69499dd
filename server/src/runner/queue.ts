// A bounded job queue: at most `concurrency` jobs run at once and at most `maxQueued` wait.
// Waiting callers learn their position (jobs ahead of them) whenever it changes.

export class QueueFullError extends Error {
  constructor(maxQueued: number) {
    super(`the run queue is full (${maxQueued} jobs waiting); try again in a moment`);
    this.name = 'QueueFullError';
  }
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
  onPosition?: (position: number) => void;
}

export class JobQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly concurrency: number, private readonly maxQueued: number) {}

  /** Jobs running plus jobs waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  /** A job pushed now would be refused. */
  get isFull(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxQueued;
  }

  /**
   * Runs `job` when a slot is free. `onPosition(n)` is called with n >= 1 while n jobs are ahead
   * of it, and with 0 when it starts.
   */
  push<T>(job: () => Promise<T>, onPosition?: (position: number) => void): Promise<T> {
    if (this.isFull) {
      return Promise.reject(new QueueFullError(this.maxQueued));
    }
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running++;
        notify(onPosition, 0);
        // Free the slot before the caller hears back, so `size` is exact when it does.
        job().then(
          (value) => {
            this.finish();
            resolve(value);
          },
          (error: unknown) => {
            this.finish();
            reject(error);
          },
        );
      };
      if (this.running < this.concurrency) start();
      else {
        this.waiting.push({ start, onPosition });
        notify(onPosition, this.waiting.length);
      }
    });
  }

  private finish(): void {
    this.running--;
    this.startNext();
  }

  private startNext(): void {
    const next = this.waiting.shift();
    if (!next) return;
    next.start();
    this.waiting.forEach((entry, index) => notify(entry.onPosition, index + 1));
  }
}
