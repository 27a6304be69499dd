import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/src/realtime/rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, refilling over time', () => {
    let now = 0;
    const limiter = new RateLimiter(10, 5, () => now);
    const takes = (n: number) => Array.from({ length: n }, () => limiter.take()).filter(Boolean).length;
    expect(takes(8)).toBe(5); // the burst
    now += 100; // 0.1 s at 10/s: one more
    expect(takes(3)).toBe(1);
    now += 10_000; // refills, but never beyond the burst
    expect(takes(20)).toBe(5);
  });
});
