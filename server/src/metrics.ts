// What an operator needs to see the runner: Prometheus text at GET /metrics (prom-client).
// Queue length and wait by job class, job latency by class, timeouts, program runs alive,
// compiler restarts and terminated sandbox workers, plus the process's own default metrics.
// Protected by METRICS_TOKEN (Authorization: Bearer); without it /metrics is not served.
import crypto from 'node:crypto';
import { Router } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JOB_CLASSES, type JobClass, type LocalRunner, type RunnerObserver } from './runner/index.ts';

const SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

export interface Metrics {
  registry: Registry;
  /** Passed to createRunner: hears of every job. */
  observer: RunnerObserver;
  /** The runner whose queue and counters are read at each scrape. */
  watch(runner: LocalRunner): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  let runner: LocalRunner | undefined;

  const waited = new Histogram({
    name: 'runner_queue_wait_seconds',
    help: 'Time a job waited in the runner queue, by class',
    labelNames: ['class'],
    buckets: SECONDS,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'runner_job_seconds',
    help: 'Time a job took once started (compile and runs), by class',
    labelNames: ['class'],
    buckets: SECONDS,
    registers: [registry],
  });
  const timeouts = new Counter({ name: 'runner_timeouts_total', help: 'Jobs in which a run or a case hit a time limit, by class', labelNames: ['class'], registers: [registry] });
  new Gauge({
    name: 'runner_queue_waiting',
    help: "Jobs waiting in this process's runner queue, by class",
    labelNames: ['class'],
    registers: [registry],
    collect() {
      const counts = runner?.waitingByClass();
      for (const jobClass of JOB_CLASSES) this.set({ class: jobClass }, counts?.[jobClass] ?? 0);
    },
  });
  new Gauge({
    name: 'runner_executions_alive',
    help: 'Program runs in progress in the sandbox',
    registers: [registry],
    collect() {
      this.set(runner?.stats().executionsAlive ?? 0);
    },
  });
  // Counters the runner keeps itself: each scrape adds what happened since the last one.
  const mirrored = (name: string, help: string, read: (stats: ReturnType<LocalRunner['stats']>) => number) => {
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = runner ? read(runner.stats()) : seen;
        if (now > seen) this.inc(now - seen);
        seen = now;
      },
    });
  };
  mirrored('runner_compiler_restarts_total', 'Compilers replaced after a compile passed its limit or died', (s) => s.compilerRestarts);
  mirrored('runner_sandbox_terminations_total', 'Sandbox workers terminated because a run passed its wall-clock limit or had to be killed', (s) => s.sandboxTerminations);

  const observer: RunnerObserver = {
    started: (jobClass: JobClass, waitedMs: number) => waited.observe({ class: jobClass }, waitedMs / 1000),
    finished: (jobClass: JobClass, ms: number, timedOut: boolean) => {
      latency.observe({ class: jobClass }, ms / 1000);
      if (timedOut) timeouts.inc({ class: jobClass });
    },
  };
  return { registry, observer, watch: (r) => (runner = r) };
}

/** GET /metrics for a scraper that sends `Authorization: Bearer <token>`. */
export function metricsRouter(metrics: Metrics, token: string): Router {
  const r = Router();
  const expected = crypto.createHash('sha256').update(token).digest();
  r.get('/metrics', async (req, res) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!crypto.timingSafeEqual(crypto.createHash('sha256').update(given).digest(), expected)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text/plain').send('A metrics token is required (Authorization: Bearer METRICS_TOKEN).\n');
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
