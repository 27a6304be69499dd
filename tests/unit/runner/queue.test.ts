import { describe, expect, it } from 'vitest';
import { JobQueue, QueueFullError } from '../../../server/src/runner/core/queue.ts';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('JobQueue', () => {
  it('runs at most `concurrency` jobs at once and tells waiters their position', async () => {
    const queue = new JobQueue(2, 10);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    let running = 0;
    let peak = 0;
    const positions: number[][] = [[], [], [], []];
    const jobs = gates.map((gate, index) =>
      queue.push(
        async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
          return index;
        },
        (position) => positions[index]!.push(position),
      ),
    );
    expect(queue.size).toBe(4);
    expect(positions).toEqual([[0], [0], [1], [2]]);
    gates[0]!.resolve();
    await jobs[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(positions[2]).toEqual([1, 0]);
    expect(positions[3]).toEqual([2, 1]);
    gates.forEach((gate) => gate.resolve());
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(queue.size).toBe(0);
  });

  it('refuses jobs beyond the waiting limit, without disturbing the others', async () => {
    const queue = new JobQueue(1, 1);
    const gate = deferred();
    const first = queue.push(() => gate.promise.then(() => 'first'));
    expect(queue.isFull).toBe(false);
    const second = queue.push(async () => 'second');
    expect(queue.isFull).toBe(true);
    await expect(queue.push(async () => 'third')).rejects.toBeInstanceOf(QueueFullError);
    gate.resolve();
    expect(await first).toBe('first');
    expect(await second).toBe('second');
  });

  it('keeps going after a job fails', async () => {
    const queue = new JobQueue(1, 5);
    const failed = queue.push(async () => {
      throw new Error('boom');
    });
    const next = queue.push(async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('next');
  });

  it('is not wedged by a position callback that throws', async () => {
    const queue = new JobQueue(1, 5);
    const throwing = () => {
      throw new Error('listener bug');
    };
    expect(await queue.push(async () => 'first', throwing)).toBe('first');
    expect(await queue.push(async () => 'second', throwing)).toBe('second');
    expect(queue.size).toBe(0);
  });

  describe('order', () => {
    /** Pushes a job that records when it starts and holds its slot until released. */
    function holder(queue: JobQueue, started: string[], name: string, ticket: Parameters<JobQueue['push']>[2] = {}) {
      const gate = deferred();
      const done = queue.push(
        async () => {
          started.push(name);
          await gate.promise;
          return name;
        },
        undefined,
        ticket,
      );
      return { release: gate.resolve, done };
    }
    const tick = () => new Promise((r) => setTimeout(r, 0));

    it('starts final gradings first, then interview runs, then the rest, each class in arrival order', async () => {
      const queue = new JobQueue(1, 50);
      const started: string[] = [];
      const first = holder(queue, started, 'running');
      const jobs = [
        holder(queue, started, 'practice 1', { jobClass: 'other', owner: 'a' }),
        holder(queue, started, 'interview 1', { jobClass: 'interview', owner: 'b' }),
        holder(queue, started, 'final 1', { jobClass: 'final', owner: 'c' }),
        holder(queue, started, 'practice 2', { jobClass: 'other', owner: 'd' }),
        holder(queue, started, 'interview 2', { jobClass: 'interview', owner: 'e' }),
        holder(queue, started, 'final 2', { jobClass: 'final', owner: 'f' }),
      ];
      expect(queue.waitingByClass()).toEqual({ final: 2, interview: 2, other: 2 });
      first.release();
      for (const job of [first, ...jobs]) {
        await tick();
        job.release();
      }
      await Promise.all(jobs.map((j) => j.done));
      expect(started).toEqual(['running', 'final 1', 'final 2', 'interview 1', 'interview 2', 'practice 1', 'practice 2']);
    });

    it('an interview final grading overtakes 20 queued practice submissions', async () => {
      const queue = new JobQueue(1, 50);
      const started: string[] = [];
      const first = holder(queue, started, 'running', { owner: 'x' });
      const practice = Array.from({ length: 20 }, (_, i) => holder(queue, started, `practice ${i}`, { jobClass: 'other', owner: `student ${i}` }));
      const positions: number[] = [];
      const final = queue.push(
        async () => started.push('final'),
        (p) => positions.push(p),
        { jobClass: 'final', owner: 'session' },
      );
      expect(positions).toEqual([1]); // next, ahead of all twenty
      first.release();
      await final;
      expect(started.slice(0, 2)).toEqual(['running', 'final']);
      practice.forEach((p) => p.release());
      await Promise.all(practice.map((p) => p.done));
    });

    it('never refuses a final grading, even when the queue is full', async () => {
      const queue = new JobQueue(1, 1);
      const started: string[] = [];
      const first = holder(queue, started, 'running');
      const waiting = holder(queue, started, 'waiting');
      expect(queue.isFull).toBe(true);
      await expect(queue.push(async () => 'refused')).rejects.toBeInstanceOf(QueueFullError);
      const final = queue.push(async () => 'final', undefined, { jobClass: 'final' });
      first.release();
      expect(await final).toBe('final');
      waiting.release();
      await waiting.done;
    });

    it('lets no owner hold a second slot while another owner waits', async () => {
      const queue = new JobQueue(2, 50);
      const started: string[] = [];
      const a1 = holder(queue, started, 'a test run', { jobClass: 'interview', owner: 'a' });
      const b1 = holder(queue, started, 'b test run', { jobClass: 'interview', owner: 'b' });
      // Both slots taken; a's second run arrives before c's run, but a already holds a slot.
      const a2 = holder(queue, started, 'a console run', { jobClass: 'interview', owner: 'a' });
      const c1 = holder(queue, started, 'c test run', { jobClass: 'interview', owner: 'c' });
      b1.release();
      await tick();
      expect(started).toEqual(['a test run', 'b test run', 'c test run']);
      // Once nobody else waits, a may use a second slot.
      a2.release();
      c1.release();
      await tick();
      expect(started).toEqual(['a test run', 'b test run', 'c test run', 'a console run']);
      a1.release();
      await Promise.all([a1.done, b1.done, a2.done, c1.done]);
    });

    it('keeps the last slot for interviews: practice and console runs take at most all but one', async () => {
      const queue = new JobQueue(2, 50);
      const started: string[] = [];
      const practice = [1, 2, 3].map((i) => holder(queue, started, `practice ${i}`, { jobClass: 'other', owner: `s${i}` }));
      await tick();
      expect(started).toEqual(['practice 1']); // one slot stays free
      const interview = holder(queue, started, 'interview run', { jobClass: 'interview', owner: 'session' });
      await tick();
      expect(started).toEqual(['practice 1', 'interview run']);
      interview.release();
      await interview.done;
      await tick();
      expect(started).toEqual(['practice 1', 'interview run']); // still one practice job at a time
      practice[0]!.release();
      await tick();
      expect(started).toEqual(['practice 1', 'interview run', 'practice 2']);
      practice.forEach((p) => p.release());
      await Promise.all(practice.map((p) => p.done));
      expect(started).toContain('practice 3');
    });

    it('with one slot, practice still runs (nothing can be kept back)', async () => {
      const queue = new JobQueue(1, 50);
      expect(await queue.push(async () => 'ran', undefined, { jobClass: 'other' })).toBe('ran');
    });
  });
});
