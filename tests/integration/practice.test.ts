// Practice, over a real server: a student's attempt from the catalogue to a graded result (the real
// runner), their history and best score, deletion, another browser seeing none of it, hidden
// inputs in no response, and the bounds that keep an open door from being abused.
import { fakeRunner } from '../support/fake-runner.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../common/exercise.ts';
import type { PracticeAttempt, PracticeExercise } from '../../common/practice.ts';
import { ManualClock } from '../../server/src/sessions/timer.ts';
import { connect, exercises, startServer, testRunner, tokenOf, type TestServer } from './helpers.ts';

/** A browser: keeps the practice cookie the server hands out. */
function browser(server: TestServer) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    async call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const set = res.headers.get('set-cookie');
      if (set) cookie = set.split(';')[0]!;
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, text };
    },
  };
}

describe('a practice attempt, end to end', () => {
  let server: TestServer;
  const runner = testRunner();
  beforeAll(async () => {
    server = await startServer({ runner });
  });
  afterAll(async () => {
    await server.close();
    await runner.close();
  });

  it('catalogue -> start -> run -> submit -> result, history, best score, replay; invisible to others; deletion', async () => {
    const ada = browser(server);
    const catalogue = (await ada.call('GET', '/api/practice/exercises')).body as PracticeExercise[];
    expect(ada.cookie).toMatch(/^ci_practice=[A-Za-z0-9_-]{43}$/);
    const ring = catalogue.find((e) => e.slug === 'ring-buffer')!;
    expect(ring).toMatchObject({ title: 'Ring buffer', best: null, attempts: 0, minutes: 30 });
    expect(ring.summary.length).toBeGreaterThan(10);

    const started = await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' });
    expect(started.status).toBe(201);
    const attempt = started.body as PracticeAttempt;
    expect(attempt).toMatchObject({ status: 'waiting', score: null, exercise: { slug: 'ring-buffer' } });

    // The student's own clock: start, no extra time, edit, run visible tests, submit.
    const student = await connect(server.url, attempt.link);
    expect(student.state).toMatchObject({ mode: 'practice', role: 'candidate', status: 'waiting' });
    expect(((await student.socket.timeout(5000).emitWithAck('run:request')) as any).error.code).toBe('conflict'); // not before Start
    expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    expect(((await student.socket.timeout(5000).emitWithAck('timer:add', { minutes: 5 })) as any).error.code).toBe('forbidden');
    const exercise = (await exercises()).get('ring-buffer')!;
    await student.edit((t) => {
      t.delete(0, t.length);
      t.insert(0, exercise.solution);
    });
    const manual = student.next('run:result', () => true, 60_000);
    expect((await student.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    const [run] = (await manual) as unknown as [any];
    expect(run.cases.every((c: any) => c.visible)).toBe(true); // practice runs show visible tests only
    const final = student.next('run:result', (r: any) => r.kind === 'final', 60_000);
    expect((await student.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    const [graded] = (await final) as unknown as [any];
    expect(graded.hiddenRevealed).toBe(true);
    const hiddenRows = graded.cases.filter((c: any) => !c.visible);
    expect(hiddenRows.length).toBe(exercise.cases.filter((c) => !c.visible).length);
    for (const c of hiddenRows) expect(Object.keys(c).sort()).toEqual(['name', 'status', 'visible']); // not even the time (common/redact.ts)
    expect(graded.passed, JSON.stringify(graded).slice(0, 400)).toBe(graded.total);
    // No hidden input ever reached the student's browser.
    const frames = student.frames.filter((f): f is string => typeof f === 'string').join('\n');
    for (const c of exercise.cases.filter((x) => !x.visible && x.input.trim().length > 12)) expect(frames).not.toContain(JSON.stringify(c.input).slice(1, -1));
    student.close();
    await server.app.sessions.idle();

    const mine = (await ada.call('GET', '/api/practice/attempts')).body as PracticeAttempt[];
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: attempt.id, status: 'ended', score: { passed: graded.total, total: graded.total } });
    expect(((await ada.call('GET', '/api/practice/exercises')).body as PracticeExercise[]).find((e) => e.slug === 'ring-buffer')).toMatchObject({
      best: { passed: graded.total },
      attempts: 1,
    });
    // The attempt's own link opens its replay now that it is submitted.
    expect((await server.http('GET', '/api/review', undefined, tokenOf(attempt.replay))).status).toBe(200);
    // Practice attempts are the students' own: not on the mentors' dashboard.
    expect(((await server.http('GET', '/api/sessions')).body as any[]).some((s) => s.id === attempt.id)).toBe(false);
    expect((await server.http('GET', `/api/sessions/${attempt.id}`)).status).toBe(404);

    // Another browser sees none of it and cannot delete it.
    const eve = browser(server);
    expect((await eve.call('GET', '/api/practice/attempts')).body).toEqual([]);
    expect(((await eve.call('GET', '/api/practice/exercises')).body as PracticeExercise[]).every((e) => e.best === null && e.attempts === 0)).toBe(true);
    expect((await eve.call('DELETE', `/api/practice/attempts/${attempt.id}`)).status).toBe(404);
    for (const route of ['/api/practice/attempts', '/api/practice/exercises']) {
      expect((await eve.call('GET', route)).text).not.toContain(tokenOf(attempt.link));
    }

    // Deleting removes the attempt and everything in it: the link stops working.
    expect((await ada.call('DELETE', `/api/practice/attempts/${attempt.id}`)).status).toBe(204);
    expect((await ada.call('GET', '/api/practice/attempts')).body).toEqual([]);
    expect(await server.store.listUpdates(attempt.id)).toEqual([]);
    expect((await server.http('GET', '/api/review', undefined, tokenOf(attempt.replay))).status).toBe(401);
    await expect(connect(server.url, attempt.link)).rejects.toThrow(/not valid/);
    expect((await ada.call('DELETE', `/api/practice/attempts/${attempt.id}`)).status).toBe(404);
  }, 180_000);
});

describe('practice bounds', () => {
  const passing: GradeResult = {
    status: 'ok',
    passed: 1,
    total: 1,
    cases: [{ name: 'a', visible: true, status: 'pass', timeMs: 1 }],
    diagnostics: [],
    compilerOutput: '',
    timings: { compileMs: 1, runMs: 1 },
  };
  // These tests are about counting, not grading: a runner that answers at once.
  const instant = fakeRunner({ grade: async () => passing });
  const clock = new ManualClock(Date.now());
  let server: TestServer;
  /** What the server logged as failures (a malformed request must not be one). */
  const failures: string[] = [];
  beforeAll(async () => {
    server = await startServer({ runner: instant, clock, log: (msg, err) => failures.push(`${msg} ${err instanceof Error ? err.stack : ''}`) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('refuses bad requests clearly', async () => {
    const b = browser(server);
    expect((await b.call('POST', '/api/practice/attempts', { exercise: 'no-such' })).status).toBe(404);
    const bad = await b.call('POST', '/api/practice/attempts', { slug: 'ring-buffer' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name the exercise/);
  });

  it('treats a malformed practice cookie as none: a new identity, no error, nothing logged', async () => {
    for (const value of ['%E0%A4%A', '%', '%zz', 'a%']) {
      const res = await fetch(`${server.url}/api/practice/attempts`, { headers: { cookie: `other=1; ci_practice=${value}` } });
      expect(res.status, value).toBe(200);
      expect(await res.json()).toEqual([]);
      expect(res.headers.get('set-cookie'), value).toMatch(/^ci_practice=[A-Za-z0-9_-]{43};/);
    }
    expect(failures).toEqual([]);
  });

  it('allows two unfinished attempts at once, and so many attempts an hour', async () => {
    const b = browser(server);
    const first = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' });
    await b.call('POST', '/api/practice/attempts', { exercise: 'mem-search' });
    const third = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' });
    expect(third.status).toBe(409);
    expect(third.body.error.message).toMatch(/2 unfinished attempts/);
    // Deleting frees a place, but deleted attempts still count towards the hour.
    for (let i = 0; i < 18; i++) {
      const list = (await b.call('GET', '/api/practice/attempts')).body as PracticeAttempt[];
      expect((await b.call('DELETE', `/api/practice/attempts/${list[0]!.id}`)).status).toBe(204);
      expect((await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).status).toBe(201);
    }
    const list = (await b.call('GET', '/api/practice/attempts')).body as PracticeAttempt[];
    await b.call('DELETE', `/api/practice/attempts/${list[0]!.id}`);
    const over = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' });
    expect(over.status).toBe(429);
    expect(over.body.error.message).toMatch(/20 attempts an hour/);
    clock.advance(61 * 60_000);
    expect((await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).status).toBe(201);
    expect(first.status).toBe(201);
  });

  it('gives cookie-less requests from one address one identity, not a new one each', async () => {
    clock.advance(61 * 60_000); // a fresh hour for this address
    const started: number[] = [];
    const tokens = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${server.url}/api/practice/attempts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ exercise: 'ring-buffer' }),
      });
      started.push(res.status);
      tokens.add(res.headers.get('set-cookie')!.split(';')[0]!);
    }
    // One identity: its two unfinished attempts, then refusals, not thirty attempts.
    expect(tokens.size).toBe(1);
    expect(started.filter((s) => s === 201)).toHaveLength(2);
    expect(started.filter((s) => s === 409)).toHaveLength(28);
  });

  it('bounds new attempts per address to 60 an hour, whatever the cookies (429 with a message)', async () => {
    clock.advance(61 * 60_000);
    const statuses: number[] = [];
    let last: { status: number; body: any } | undefined;
    for (let i = 0; i < 61; i++) {
      // A fresh, well-formed cookie each time: a new identity per request.
      const cookie = `ci_practice=${String(i).padStart(43, 'x')}`;
      const res = await fetch(`${server.url}/api/practice/attempts`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ exercise: 'ring-buffer' }),
      });
      statuses.push(res.status);
      last = { status: res.status, body: await res.json() };
      if (i === 60) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(last!.status).toBe(429);
    expect(last!.body.error.message).toMatch(/At most 60 practice attempts an hour from one network address/);
    clock.advance(61 * 60_000);
    const res = await fetch(`${server.url}/api/practice/attempts`, {
      method: 'POST',
      headers: { cookie: `ci_practice=${'y'.repeat(43)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: 'ring-buffer' }),
    });
    expect(res.status).toBe(201);
  });

  it('bounds runs per attempt per minute', async () => {
    const b = browser(server);
    const attempt = (await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).body as PracticeAttempt;
    const student = await connect(server.url, attempt.link);
    expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      const done = student.next('run:result');
      const r = await student.socket.timeout(5000).emitWithAck('run:request');
      codes.push(r.ok ? 'ok' : r.error.code);
      if (r.ok) await done;
      else expect(r.error.message).toMatch(/At most 10 runs a minute/);
    }
    expect(codes).toEqual([...Array(10).fill('ok'), 'rate_limited']);
    clock.advance(61_000);
    expect((await student.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    student.close();
  });

  it('removes attempts never started after a day, and keeps the others', async () => {
    const b = browser(server);
    for (const a of (await b.call('GET', '/api/practice/attempts')).body as PracticeAttempt[]) await b.call('DELETE', `/api/practice/attempts/${a.id}`);
    const old = (await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).body as PracticeAttempt;
    clock.advance(25 * 3_600_000);
    const fresh = (await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).body as PracticeAttempt;
    expect(await server.app.practice.sweep()).toBeGreaterThanOrEqual(1);
    const ids = ((await b.call('GET', '/api/practice/attempts')).body as PracticeAttempt[]).map((a) => a.id);
    expect(ids).toEqual([fresh.id]);
    expect(ids).not.toContain(old.id);
  });
});
