// GET /metrics: Prometheus text that a scraper can parse, behind a token, counting what the runner
// did: jobs by class, their waits and latencies, timeouts, runs alive, restarts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadExercise } from '../../server/src/exercises/load.ts';
import { createMetrics } from '../../server/src/metrics.ts';
import { createRunner, type LocalRunner } from '../../server/src/runner/index.ts';
import { startServer, type TestServer } from './helpers.ts';

const TOKEN = 'metrics-token-0123456789';
let server: TestServer;
let runner: LocalRunner;

/** Parses Prometheus text exposition: every sample line is `name{labels} value`. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/.exec(line);
    if (!match) throw new Error(`not Prometheus text: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

beforeAll(async () => {
  const metrics = createMetrics();
  runner = createRunner({ limits: { concurrency: 1, runMs: 500, fuelFloor: 1_000_000, fuelCeiling: 5_000_000 }, observer: metrics.observer });
  metrics.watch(runner);
  server = await startServer({ runner, metrics, config: { metricsToken: TOKEN } });
});
afterAll(async () => {
  await server.close();
  await runner.close();
});

describe('/metrics', () => {
  it('needs the token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('parses as Prometheus text and counts jobs by class, timeouts and waits', async () => {
    const exercise = await loadExercise(path.resolve(import.meta.dirname, '../fixtures/exercises/sum-array'));
    await runner.grade(exercise, exercise.solution, { jobClass: 'final', owner: 'a' });
    const spin = '#include "sum.h"\nlong long sum(const int *v, size_t n) { (void)v; (void)n; for (;;) {} }\n';
    await runner.grade(exercise, spin, { jobClass: 'other', owner: 'b' });
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parse(await res.text());
    expect(samples.get('runner_job_seconds_count{class="final"}')).toBe(1);
    expect(samples.get('runner_job_seconds_count{class="other"}')).toBe(1);
    expect(samples.get('runner_queue_wait_seconds_count{class="final"}')).toBe(1);
    expect(samples.get('runner_timeouts_total{class="other"}')).toBe(1);
    expect(samples.get('runner_timeouts_total{class="final"}') ?? 0).toBe(0);
    for (const jobClass of ['final', 'interview', 'other']) expect(samples.get(`runner_queue_waiting{class="${jobClass}"}`)).toBe(0);
    expect(samples.get('runner_executions_alive')).toBe(0);
    expect(samples.get('runner_compiler_restarts_total')).toBe(0);
    expect(samples.has('runner_sandbox_terminations_total')).toBe(true);
    expect(samples.has('process_cpu_seconds_total')).toBe(true);
  });
});
