// Gradings on a BullMQ queue in the shared Redis, consumed by runner workers: every server node,
// plus runner-only processes (`npm run worker`, server/src/worker.ts) on other machines. The
// runner itself is untouched; this only puts a queue in front of `runner.grade`.
// A worker that dies mid-job stops renewing the job's lock; after `lockDuration` another worker's
// stalled-job check puts it back in the queue once (maxStalledCount 1), a second stall fails it.
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { GradeResult } from '../../../common/exercise.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import { JOB_CLASSES, QueueFullError, type JobClass, type Runner } from '../runner/index.ts';

export const GRADES_QUEUE = 'grades';

interface GradeJob {
  slug: string;
  source: string;
  /** The runner queue's class and owner, kept for the worker's own queue (absent in older jobs). */
  jobClass?: JobClass;
  owner?: string;
}

/** BullMQ priorities (1 is served first): finals, then live interviews, then the rest. */
const PRIORITY: Record<JobClass, number> = { final: 1, interview: 2, other: 3 };

export interface GradeQueueOptions {
  redisUrl: string;
  /** The deployment's Redis prefix; BullMQ keys go under `<prefix>bull`. */
  prefix: string;
  log: (msg: string, err?: unknown) => void;
}

/** BullMQ's blocking connections want no retry limit per command. */
const connection = (url: string) => new Redis(url, { maxRetriesPerRequest: null });
const bullPrefix = (prefix: string) => `${prefix}bull`;

/** How long a job may hold a worker without renewing its lock before it counts as stalled. */
const LOCK_MS = 10_000;
/** A grading that takes longer than this (queued included) is reported as failed. */
const WAIT_MS = 10 * 60_000;

/**
 * A Runner whose gradings go through the queue: `pending()` and `isFull()` count the whole
 * queue (all nodes), refreshed a few times a second; positions come from the job's place in it.
 */
export function queuedRunner(local: Runner, maxQueued: number, o: GradeQueueOptions): Runner {
  const prefix = bullPrefix(o.prefix);
  const queue = new Queue<GradeJob, GradeResult>(GRADES_QUEUE, { connection: connection(o.redisUrl), prefix });
  const events = new QueueEvents(GRADES_QUEUE, { connection: connection(o.redisUrl), prefix });
  const redis = connection(o.redisUrl);
  const waitKey = `${prefix}:${GRADES_QUEUE}:wait`;
  // Jobs with a priority wait in this sorted set, by priority and then arrival.
  const prioritizedKey = `${prefix}:${GRADES_QUEUE}:prioritized`;
  let waiting = 0;
  let active = 0;
  const refresh = setInterval(() => {
    queue.getJobCounts('waiting', 'prioritized', 'active').then(
      (c) => {
        waiting = (c['waiting'] ?? 0) + (c['prioritized'] ?? 0);
        active = c['active'] ?? 0;
      },
      (err: unknown) => o.log('counting queued gradings failed', err),
    );
  }, 250);
  refresh.unref();

  /** Tells the caller the job's place (1 = next) until a worker takes it (0). */
  async function follow(job: Job<GradeJob, GradeResult>, onQueued: (position: number) => void, done: () => boolean): Promise<void> {
    let last = -1;
    while (!done()) {
      const state = await job.getState();
      let position = last;
      if (state === 'active') position = 0;
      else if (state === 'prioritized') {
        // Unprioritized jobs (none of ours; older nodes') would go first.
        const [rank, plain] = await Promise.all([redis.zrank(prioritizedKey, job.id!), redis.llen(waitKey)]);
        if (rank !== null) position = plain + rank + 1;
      } else if (state === 'waiting') {
        const [index, length] = await Promise.all([redis.lpos(waitKey, job.id!), redis.llen(waitKey)]);
        if (index !== null) position = length - index; // pushed on the left: the oldest is last
      } else if (state !== 'unknown') return; // finished
      if (position !== last && position >= 0) onQueued(position);
      last = position;
      if (position === 0) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  return {
    limits: local.limits,
    ready: () => local.ready(),
    run: (source, options) => local.run(source, options),
    // Scratch console runs are small and interactive: the node that received one runs it.
    runFiles: (sources, headers, options) => local.runFiles(sources, headers, options),
    async grade(exercise, source, options = {}) {
      const jobClass = options.jobClass ?? 'other';
      // A final grading is never refused: it waits its (first) turn like the others.
      if (waiting >= maxQueued && jobClass !== 'final') throw new QueueFullError(maxQueued);
      waiting++;
      const job = await queue.add(
        'grade',
        { slug: exercise.slug, source, jobClass, ...(options.owner ? { owner: options.owner } : {}) },
        {
          priority: PRIORITY[jobClass],
          removeOnComplete: { age: 300, count: 5000 },
          removeOnFail: { age: 3600, count: 1000 },
        },
      );
      let finished = false;
      if (options.onQueued) {
        const onQueued = options.onQueued;
        follow(job, onQueued, () => finished).catch((err: unknown) => o.log('following a queued grading failed', err));
      }
      try {
        return await job.waitUntilFinished(events, WAIT_MS);
      } finally {
        finished = true;
      }
    },
    pending: () => waiting + active,
    isFull: () => waiting >= maxQueued,
    async close() {
      clearInterval(refresh);
      await Promise.allSettled([events.close(), queue.close()]);
      redis.disconnect();
    },
  };
}

/** Consumes gradings with `runner`, as many at once as it has compilers. */
export function startGradeWorker(runner: Runner, catalog: ExerciseCatalog, o: GradeQueueOptions): Worker<GradeJob, GradeResult> {
  const worker = new Worker<GradeJob, GradeResult>(
    GRADES_QUEUE,
    async (job) => {
      const exercise = catalog.get(job.data.slug);
      if (!exercise) throw new Error(`this worker has no exercise '${job.data.slug}'`);
      const jobClass = JOB_CLASSES.find((c) => c === job.data.jobClass) ?? 'other';
      return runner.grade(exercise, job.data.source, { jobClass, ...(typeof job.data.owner === 'string' ? { owner: job.data.owner } : {}) });
    },
    {
      connection: connection(o.redisUrl),
      prefix: bullPrefix(o.prefix),
      concurrency: runner.limits.concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: LOCK_MS / 2,
      maxStalledCount: 1,
    },
  );
  worker.on('failed', (job, err) => o.log(`grading ${job?.id ?? '?'} failed`, err));
  worker.on('error', (err) => o.log('grade worker error', err));
  return worker;
}
