// The multi-node settings are validated at start like the rest: a typo fails loudly.
import { describe, expect, it } from 'vitest';
import { loadConfig, runnerLimitsOf } from '../../../server/src/config.ts';

describe('cluster configuration', () => {
  it('is off by default and on with a redis:// URL', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
    const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', LEASE_MS: '2000', GRADE_ON_SERVER: 'false' });
    expect(c).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', leaseMs: 2000, gradeOnServer: false, redisPrefix: 'c-interview:' });
  });

  it('refuses what it cannot use', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'not a url' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ LEASE_MS: '100' })).toThrow(/LEASE_MS/);
    expect(() => loadConfig({ REDIS_PREFIX: 'has space' })).toThrow(/REDIS_PREFIX/);
    expect(() => loadConfig({ GRADE_ON_SERVER: 'yes' })).toThrow(/GRADE_ON_SERVER/);
  });
});

describe('runner settings', () => {
  it("leave the runner's defaults unless set, and pass on what is set", () => {
    expect(runnerLimitsOf(loadConfig({}))).toEqual({});
    expect(runnerLimitsOf(loadConfig({ RUNNER_CONCURRENCY: '3', RUNNER_CASE_LANES: '1' }))).toEqual({ concurrency: 3, caseLanes: 1 });
    expect(() => loadConfig({ RUNNER_CASE_LANES: '0' })).toThrow(/RUNNER_CASE_LANES/);
    expect(() => loadConfig({ RUNNER_CASE_LANES: 'two' })).toThrow(/RUNNER_CASE_LANES/);
  });
});
