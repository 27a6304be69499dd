// The compiled-program cache stays within its bounds (count and bytes, least recently used out
// first), never keeps a compile stopped for time, and lets identical builds in flight share one.
import { describe, expect, it } from 'vitest';
import { ProgramCache, programKey } from '../../../server/src/runner/core/cache.ts';
import { sha256Hex } from '../../../server/src/runner/hash.ts';
import { resolveLimits } from '../../../server/src/runner/limits.ts';
import type { BuildResult } from '../../../server/src/runner/core/program.ts';

const failed = (output: string): BuildResult => ({ kind: 'compile_error', output, ms: 5 });
const counted = () => {
  let calls = 0;
  const build = (result: BuildResult) => async () => {
    calls++;
    return result;
  };
  return { build, calls: () => calls };
};

describe('program cache', () => {
  it('evicts the least recently used entry beyond its count', async () => {
    const cache = new ProgramCache({ maxEntries: 2, maxBytes: 1 << 20 });
    const { build, calls } = counted();
    await cache.getOrBuild('a', build(failed('a')));
    await cache.getOrBuild('b', build(failed('b')));
    await cache.getOrBuild('a', build(failed('a'))); // a is now the most recent
    await cache.getOrBuild('c', build(failed('c'))); // evicts b
    expect(calls()).toBe(3);
    expect((await cache.getOrBuild('a', build(failed('a')))).cached).toBe(true);
    expect((await cache.getOrBuild('b', build(failed('b')))).cached).toBe(false);
    expect(cache.size).toBe(2);
  });

  it('stays within its bytes', async () => {
    const cache = new ProgramCache({ maxEntries: 100, maxBytes: 10_000 });
    const { build } = counted();
    for (let i = 0; i < 10; i++) await cache.getOrBuild(`k${i}`, build(failed('x'.repeat(2_000))));
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBe(2);
    // One result larger than the whole budget is returned but not kept.
    const huge = await cache.getOrBuild('huge', build(failed('x'.repeat(20_000))));
    expect(huge.result.output.length).toBe(20_000);
    expect((await cache.getOrBuild('huge', build(failed('y')))).result.output).toBe('y');
  });

  it('does not keep a compile that was stopped for time', async () => {
    const cache = new ProgramCache();
    const { build, calls } = counted();
    await cache.getOrBuild('slow', build({ kind: 'timeout', output: '', ms: 10_000 }));
    const again = await cache.getOrBuild('slow', build(failed('done')));
    expect(again).toMatchObject({ cached: false, result: { kind: 'compile_error' } });
    expect(calls()).toBe(2);
  });

  it('shares one build between identical requests in flight', async () => {
    const cache = new ProgramCache();
    const { build, calls } = counted();
    const [first, second] = await Promise.all([cache.getOrBuild('same', build(failed('1'))), cache.getOrBuild('same', build(failed('2')))]);
    expect(calls()).toBe(1);
    expect(second.result).toBe(first.result);
    expect([first.cached, second.cached]).toEqual([false, true]);
  });

  it('keys builds by source, exercise content and limits', () => {
    const limits = resolveLimits({ concurrency: 1 });
    const exercise = { slug: 'x', driver: 'int main(void){return 0;}', headers: {}, solution: '', cases: [] } as never;
    const base = programKey(sha256Hex, 'int f;', exercise, limits);
    expect(programKey(sha256Hex, 'int f;', exercise, limits)).toBe(base);
    expect(programKey(sha256Hex, 'int g;', exercise, limits)).not.toBe(base);
    expect(programKey(sha256Hex, 'int f;', { ...(exercise as object), driver: 'changed' } as never, limits)).not.toBe(base);
    expect(programKey(sha256Hex, 'int f;', undefined, limits)).not.toBe(base);
    expect(programKey(sha256Hex, 'int f;', exercise, resolveLimits({ concurrency: 1, memoryBytes: 32 * 1024 * 1024 }))).not.toBe(base);
  });
});
