// Server logs: LOG_FORMAT=json gives one parseable JSON object per line for start-up, sessions,
// connections, runs and shutdown; the readable format is the default; bad settings stop the start.
// A reader that stops reading the logs never stalls the server, and no line is lost to it.
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger, logFn } from '../../server/src/log.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';
import { tempDir, tokenOf, until } from './helpers.ts';
import { spawnServer } from '../support/server-process.ts';

const KEY = 'logging-test-mentor-key-0123';

interface Line {
  level: string;
  time: string;
  msg: string;
  [field: string]: unknown;
}

function startServer(env: Record<string, string>) {
  const dataDir = tempDir('ci-log-');
  const proc = spawnServer({
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MENTOR_KEY: KEY, RUNNER_CONCURRENCY: '1', EXERCISES_DIR: TEST_EXERCISES_DIR, LOG_LEVEL: '', ...env },
  });
  const state = {
    get stdout() {
      return proc.stdout();
    },
    get stderr() {
      return proc.stderr();
    },
  };
  return { child: proc.child, state, exited: proc.exited, dataDir };
}

describe('LOG_FORMAT=json', () => {
  it('prints parseable JSON lines with the fields, from start-up to shutdown', async () => {
    const { child, state, exited, dataDir } = startServer({ LOG_FORMAT: 'json' });
    const lines = (): Line[] =>
      state.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Line);
    const find = (msg: string | RegExp) => lines().find((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg)));
    try {
      await until(() => find(/^listening on/) !== undefined && find('runner ready') !== undefined, 90_000, `the server to start:\n${state.stdout}\n${state.stderr}`);
      const listening = find(/^listening on/)!;
      const url = `http://127.0.0.1:${listening['port']}`;
      const api = async (method: string, route: string, body?: unknown) => {
        const res = await fetch(url + route, {
          method,
          headers: { authorization: `Bearer ${KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        return res.status === 204 ? null : ((await res.json()) as any);
      };
      const s = (await api('POST', '/api/sessions', { candidateName: 'Ada' })) as SessionSummary;
      const socket = io(url, { auth: { token: tokenOf(s.links.mentor), name: 'M' }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => (socket.once('session:state', () => resolve()), socket.once('connect_error', reject)));
      expect((await socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
      expect((await api('POST', `/api/sessions/${s.id}/end`)).status).toBe('ended');
      await until(() => find('run finished') !== undefined, 90_000, 'the final grading');
      socket.close();
      await until(() => find('disconnected') !== undefined, 10_000, 'the disconnection');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);

      const all = lines();
      for (const l of all) {
        expect(typeof l.msg).toBe('string');
        expect(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).toContain(l.level);
        expect(Number.isNaN(Date.parse(l.time))).toBe(false);
      }
      expect(find('store opened')).toMatchObject({ level: 'info', dataDir });
      expect(find('exercises loaded')).toMatchObject({ level: 'info', count: expect.any(Number) });
      expect(find('exercises loaded')!['count']).toBeGreaterThan(0);
      expect(listening).toMatchObject({ level: 'info', port: expect.any(Number), host: '127.0.0.1' });
      expect(find('runner ready')).toMatchObject({ component: 'runner', ms: expect.any(Number) });
      // No account yet: a setup link for the first admin; the key itself is never printed.
      expect(find(/^first start: create the first admin account/)!.msg).toMatch(/\/mentor\/join#invite=[A-Za-z0-9_-]{43}$/);
      expect(state.stdout).not.toContain(KEY);
      const slug = s.exercise.slug;
      expect(find('session created')).toMatchObject({ session: s.id, exercise: slug, mode: 'interview', minutes: expect.any(Number) });
      expect(find('connected')).toMatchObject({ session: s.id, role: 'mentor', participant: expect.any(String) });
      expect(find('session started')).toMatchObject({ session: s.id, exercise: slug, mode: 'interview', deadline: expect.any(Number) });
      expect(find('session ended')).toMatchObject({ session: s.id, exercise: slug, mode: 'interview', how: 'dashboard' });
      expect(find('run finished')).toMatchObject({ session: s.id, kind: 'final', ms: expect.any(Number), outcome: 'ok', passed: expect.any(Number), total: expect.any(Number) });
      expect(find('disconnected')).toMatchObject({ session: s.id, role: 'mentor', reason: expect.any(String) });
      expect(find('shutting down')).toMatchObject({ signal: 'SIGTERM' });
      expect(find('stopped')).toBeDefined();
      // Nothing about sessions is printed outside the JSON stream.
      expect(state.stderr).not.toMatch(/session/);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('keeps answering while nobody reads its log output, and loses no line', async () => {
    const { child, state, exited, dataDir } = startServer({ LOG_FORMAT: 'json' });
    const count = (msg: string) => state.stdout.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length;
    try {
      await until(() => /"msg":"runner ready"/.test(state.stdout), 90_000, `the server to start:\n${state.stdout}\n${state.stderr}`);
      const port = /"port":(\d+)/.exec(state.stdout)![1];
      // Nobody reads standard output any more: the pipe fills (64 KiB) and stays full.
      child.stdout!.pause();
      const create = async (i: number) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ candidateName: `Candidate number ${i} with a name long enough to fill the pipe sooner` }),
          signal: AbortSignal.timeout(10_000),
        });
        expect(res.status).toBe(201);
      };
      // About 300 KiB of "session created" lines: far more than the pipe holds.
      const sessions = 1_000;
      for (let i = 0; i < sessions; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => create(i + k)));
      const health = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(10_000) });
      expect(health.status).toBe(200);
      // Once someone reads again, every line arrives.
      child.stdout!.resume();
      await until(() => count('session created') === sessions, 30_000, 'every "session created" line');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses a bad LOG_FORMAT or LOG_LEVEL at start, naming the variable', async () => {
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be 'pretty' or 'json'/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/);
    expect(loadConfig({})).toMatchObject({ logFormat: 'pretty', logLevel: 'info' });
    const { state, exited, dataDir } = startServer({ LOG_FORMAT: 'xml' });
    try {
      expect(await exited).toBe(1);
      expect(state.stderr).toMatch(/LOG_FORMAT/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the log function handed to modules', () => {
  const capture = (format: 'json' | 'pretty', level: 'info' | 'debug' = 'info') => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const log = logFn(createLogger({ format, level, destination: out, colorize: false }), 'sessions');
    return { log, text: () => text };
  };

  it('keeps the log(msg, err?) shape: an error with its stack, or a warning', () => {
    const { log, text } = capture('json');
    log('storing a run failed', new Error('disk full'));
    log('closing a connection that keeps sending');
    log.info?.('session started', { session: 'abc' });
    log.debug?.('not at info level');
    const [err, warn, info, ...rest] = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(err).toMatchObject({ level: 'error', component: 'sessions', msg: 'storing a run failed', err: { type: 'Error', message: 'disk full' } });
    expect(err.err.stack).toMatch(/disk full/);
    expect(warn).toMatchObject({ level: 'warn', msg: 'closing a connection that keeps sending' });
    expect(info).toMatchObject({ level: 'info', session: 'abc', msg: 'session started' });
    expect(rest).toEqual([]);
  });

  it('prints readable lines by default', () => {
    const { log, text } = capture('pretty', 'debug');
    log.info?.('session started', { session: 'abc' });
    log.debug?.('connected', { role: 'mentor' });
    expect(text()).toMatch(/INFO: \[sessions\] session started \{"session":"abc"\}\n/);
    expect(text()).toMatch(/DEBUG: \[sessions\] connected \{"role":"mentor"\}\n/);
    expect(text()).not.toMatch(/"level"/);
  });
});
