import { describe, expect, it } from 'vitest';
import { JobQueue, QueueFullError } from '../../../server/src/runner/queue.ts';

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
      queue.push(async () => {
        running++;
        peak = Math.max(peak, running);
        await gate.promise;
        running--;
        return index;
      }, (position) => positions[index]!.push(position)),
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
});
