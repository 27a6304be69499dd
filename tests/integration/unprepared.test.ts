// An exercise whose expected outputs cannot be prepared (its reference solution crashes) is not
// offered: the real server (index.ts, a child process on SQLite) leaves it out of the mentor's and
// the practice catalogue, refuses an interview or a practice attempt on it with a clear message,
// and says so in its log at warn. Expected outputs are stored: after a restart on the same data
// the good exercise is ready without running its reference again. In process: a withdrawn default
// exercise is refused too, and a refused practice start does not count against the student.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../common/protocol.ts';
import { ROOT, exercises, startServer, tempDir, until } from './helpers.ts';
import { spawnServer } from '../support/server-process.ts';

const KEY = 'unprepared-test-mentor-key-0123';
const FIXTURES = path.join(ROOT, 'tests/fixtures');
const BROKEN = 'broken-reference';

interface Line {
  level: string;
  msg: string;
  [field: string]: unknown;
}

// The exercises: the sum-array fixture (the default) and one whose reference traps on a case.
const exercisesDir = tempDir('ci-unprepared-ex-');
fs.cpSync(path.join(FIXTURES, 'exercises/sum-array'), path.join(exercisesDir, 'sum-array'), { recursive: true });
fs.cpSync(path.join(FIXTURES, 'unpreparable', BROKEN), path.join(exercisesDir, BROKEN), { recursive: true });
const dataDir = tempDir('ci-unprepared-');
afterAll(() => {
  for (const dir of [exercisesDir, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the server, waits until every exercise was prepared (or not), and returns its URL and log. */
async function boot() {
  const proc = spawnServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MENTOR_KEY: KEY,
      RUNNER_CONCURRENCY: '1',
      EXERCISES_DIR: exercisesDir,
      LOG_FORMAT: 'json',
      LOG_LEVEL: '',
      DATABASE_URL: '',
      REDIS_URL: '',
    },
  });
  const lines = (): Line[] =>
    proc
      .stdout()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line);
  const find = (msg: RegExp) => lines().filter((l) => msg.test(l.msg));
  try {
    await until(() => find(/^runner ready$/).length > 0, 150_000, `the server to prepare its exercises:\n${proc.output()}`);
  } catch (error) {
    await proc.kill9();
    throw error;
  }
  const url = `http://127.0.0.1:${find(/^listening on/)[0]!['port']}`;
  const api = async (method: string, route: string, body?: unknown) => {
    const headers: Record<string, string> = route.startsWith('/api/practice') ? {} : { authorization: `Bearer ${KEY}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const stop = async () => {
    expect(await proc.stop()).toBe(0);
  };
  return { api, find, stop, kill: () => proc.kill9() };
}

describe('an exercise that cannot be prepared', () => {
  it('is not listed, cannot be started, and is named in a warning; the good one is stored for the next start', async () => {
    const server = await boot();
    try {
      const warnings = server.find(new RegExp(BROKEN)).filter((l) => l.level === 'warn');
      expect(warnings.map((l) => l.msg)).toEqual([
        expect.stringMatching(/^exercise broken-reference could not be prepared: .*fails on case "the question"/),
        'exercise broken-reference is not offered: its expected outputs could not be prepared',
      ]);
      expect(warnings[1]).toMatchObject({ component: 'runner', exercise: BROKEN });
      // Warned only after a second try (a failure under the load of a start may pass later).
      expect(server.find(/^exercise broken-reference could not be prepared: [\s\S]*; trying once more when the others are done$/)).toMatchObject([{ level: 'info' }]);
      expect(server.find(/^runner ready$/)[0]).toMatchObject({ notPrepared: [BROKEN] });

      // The dashboard's choice and the practice catalogue offer only the good exercise.
      const mentorList = await server.api('GET', '/api/exercises');
      expect(mentorList.status).toBe(200);
      expect(mentorList.body.map((e: { slug: string }) => e.slug)).toEqual(['sum-array']);
      const practiceList = await server.api('GET', '/api/practice/exercises');
      expect(practiceList.status).toBe(200);
      expect(practiceList.body.map((e: { slug: string }) => e.slug)).toEqual(['sum-array']);

      // Starting it anyway is refused, saying why; the good one starts.
      const refusal = { error: { code: 'unavailable', message: expect.stringMatching(/"Broken reference" is not available: its tests could not be prepared/) } };
      expect(await server.api('POST', '/api/sessions', { candidateName: 'Ada', exercise: BROKEN })).toEqual({ status: 503, body: refusal });
      expect(await server.api('POST', '/api/practice/attempts', { exercise: BROKEN })).toEqual({ status: 503, body: refusal });
      // Nor is it offered to read before starting, nor started from its page.
      expect(await server.api('GET', `/api/practice/exercises/${BROKEN}`)).toEqual({ status: 503, body: refusal });
      expect(await server.api('POST', '/api/practice/attempts', { exercise: BROKEN, start: true })).toEqual({ status: 503, body: refusal });
      expect((await server.api('POST', '/api/sessions', { candidateName: 'Ada', exercise: 'sum-array' })).status).toBe(201);
      expect(server.find(/^exercise sum-array ready in \d+ ms$/)).toHaveLength(1);
      await server.stop();
    } finally {
      await server.kill();
    }

    // The same data again: sum-array's outputs come from the store; the broken one is still refused.
    const again = await boot();
    try {
      expect(again.find(/^exercise sum-array ready in \d+ ms \(expected outputs stored\)$/)).toHaveLength(1);
      expect(again.find(/^exercise broken-reference is not offered/)).toHaveLength(1);
      expect((await again.api('GET', '/api/exercises')).body.map((e: { slug: string }) => e.slug)).toEqual(['sum-array']);
      await again.stop();
    } finally {
      await again.kill();
    }
  }, 360_000);
});

describe('an exercise withdrawn from the offer (in process)', () => {
  it('refuses it as the default too, and a refused practice start uses up none of the hourly attempts', async () => {
    const catalog = await exercises();
    const withdrawn = catalog.defaultExercise.slug;
    const server = await startServer({ offered: (slug) => slug !== withdrawn });
    try {
      const offered = catalog
        .list()
        .map((e) => e.slug)
        .filter((slug) => slug !== withdrawn);
      expect(offered.length).toBeGreaterThan(0);
      const list = await server.http('GET', '/api/exercises');
      expect(list.body.map((e: { slug: string }) => e.slug)).toEqual(offered);
      expect(await server.http('POST', '/api/sessions', { candidateName: 'Ada' })).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });

      // One browser (its practice cookie kept), more refused starts than the hourly bound allows.
      let cookie = '';
      const practice = async (method: string, route: string, body?: unknown) => {
        const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
        if (cookie) headers.cookie = cookie;
        const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
        cookie = res.headers.get('set-cookie')?.split(';')[0] ?? cookie;
        return { status: res.status, body: (await res.json()) as any };
      };
      expect((await practice('GET', '/api/practice/exercises')).body.map((e: { slug: string }) => e.slug)).toEqual(offered);
      for (let i = 0; i <= LIMITS.practiceStartsPerHour; i++) {
        expect(await practice('POST', '/api/practice/attempts', { exercise: withdrawn })).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
      }
      expect((await practice('POST', '/api/practice/attempts', { exercise: offered[0] })).status).toBe(201);
    } finally {
      await server.close();
    }
  });
});
