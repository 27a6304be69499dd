// Practice that teaches, over a real server: reading an exercise creates no attempt, Start starts
// the clock at once, hints are revealed one at a time while the clock runs (and recorded), and a
// submitted attempt tells its student what each case tests (never a hidden input), shows the
// previous attempt's code and the history, and starts again from its code. Only the student's own.
import { fakeRunner } from '../support/fake-runner.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../common/exercise.ts';
import type { PracticeAttempt, PracticeExerciseDetail, PracticeLearn, RevealedHint } from '../../common/practice.ts';
import type { Result } from '../../common/protocol.ts';
import { connect, exercises, startServer, storedText, tokenOf, type TestServer, type YClient } from './helpers.ts';

/**
 * A browser: opens the catalogue first, as a person does, which gives it a practice identity of its
 * own (a start without a cookie would share its address's), and keeps that cookie.
 */
function browser(server: TestServer) {
  let cookie = '';
  return {
    async call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any; text: string }> {
      if (!cookie) {
        const first = await fetch(`${server.url}/api/practice/exercises`);
        cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      }
      const headers: Record<string, string> = {};
      if (cookie) headers.cookie = cookie;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(server.url + route, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
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

const reveal = (c: YClient) => c.socket.timeout(5000).emitWithAck('hint:reveal') as Promise<Result<RevealedHint>>;
const errorCode = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

describe('practice that teaches', () => {
  // A result with every case of the exercise (hidden ones failing): the lessons do not depend on it.
  const graded = async (exercise: { cases: { name: string; visible: boolean }[] }): Promise<GradeResult> => ({
    status: 'ok',
    passed: exercise.cases.filter((c) => c.visible).length,
    total: exercise.cases.length,
    cases: exercise.cases.map((c) => ({ name: c.name, visible: c.visible, status: c.visible ? 'pass' : 'fail', timeMs: 1 })),
    diagnostics: [],
    compilerOutput: '',
    timings: { compileMs: 1, runMs: 1 },
  });
  const runner = fakeRunner({ grade: graded });
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ runner });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Submits over the student's link and waits for the final grading to be stored. */
  async function submit(student: YClient): Promise<void> {
    const final = student.next('run:result', (r: any) => r.kind === 'final');
    expect((await student.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await final;
    await server.app.sessions.idle();
  }

  it('reading an exercise creates no attempt; Start starts the clock at once', async () => {
    const ada = browser(server);
    const ring = (await exercises()).get('ring-buffer')!;
    for (const slug of ['ring-buffer', 'mem-search', 'hex-dump']) {
      const read = await ada.call('GET', `/api/practice/exercises/${slug}`);
      expect(read.status).toBe(200);
      const detail = read.body as PracticeExerciseDetail;
      expect(detail.exercise.slug).toBe(slug);
      expect(detail.exercise.statement.length).toBeGreaterThan(100);
      expect(Object.keys(detail.exercise.headers).length).toBeGreaterThan(0);
      expect(detail.exercise.hints).toBe(3);
      expect(detail.attempts).toEqual([]);
    }
    const text = (await ada.call('GET', '/api/practice/exercises/ring-buffer')).text;
    for (const hint of ring.hints) expect(text).not.toContain(hint.slice(0, 40)); // hints come one at a time, on request
    for (const c of ring.cases.filter((x) => !x.visible)) expect(text).not.toContain(c.explain!); // lessons come after submitting
    expect((await ada.call('GET', '/api/practice/attempts')).body).toEqual([]);

    const started = await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', start: true });
    expect(started.status).toBe(201);
    const attempt = started.body as PracticeAttempt;
    expect(attempt.status).toBe('live');
    expect(attempt.startedAt).not.toBeNull();
    const student = await connect(server.url, attempt.link);
    expect(student.state).toMatchObject({ mode: 'practice', status: 'live', hints: { total: 3, revealed: [] } });
    expect(errorCode(await student.socket.timeout(5000).emitWithAck('timer:start'))).toBe('conflict'); // already running
    student.close();
    const read = (await ada.call('GET', '/api/practice/exercises/ring-buffer')).body as PracticeExerciseDetail;
    expect(read.attempts.map((a) => a.id)).toEqual([attempt.id]);
  });

  it('refuses bad reads and starts with a message', async () => {
    const b = browser(server);
    const missing = await b.call('GET', '/api/practice/exercises/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/No exercise 'no-such-thing'/);
    expect((await b.call('GET', '/api/practice/exercises/Not%20a%20slug')).status).toBe(404);
    const badStart = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', start: 'yes' });
    expect(badStart.status).toBe(400);
    expect(badStart.body.error.message).toMatch(/^Invalid request: start: /);
    const badFrom = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', from: '../etc' });
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.error.message).toMatch(/^Invalid request: from: not an attempt id/);
    const extra = await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', code: 'int main;' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/name the exercise/);
    expect((await b.call('POST', '/api/practice/attempts', '{"exercise":')).status).toBe(400);
    expect((await b.call('GET', '/api/practice/attempts/bad%20id/learn')).status).toBe(404);
  });

  it('reveals hints one at a time while the clock runs, records each, and refuses them otherwise', async () => {
    const b = browser(server);
    const ring = (await exercises()).get('ring-buffer')!;
    const waiting = (await b.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer' })).body as PracticeAttempt;
    let student = await connect(server.url, waiting.link);
    expect(errorCode(await reveal(student))).toBe('conflict'); // not before the clock runs
    expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);

    const first = await reveal(student);
    expect(first).toMatchObject({ ok: true, value: { number: 1, text: ring.hints[0] } });
    student.close();
    // A second tab asking at the same moment gets the next hint, not the same one twice.
    student = await connect(server.url, waiting.link);
    expect(student.state?.hints).toMatchObject({ total: 3, revealed: [{ number: 1, text: ring.hints[0] }] });
    const other = await connect(server.url, waiting.link);
    const both = await Promise.all([reveal(student), reveal(other)]);
    expect(both.map((r) => (r.ok ? r.value.number : 0)).sort()).toEqual([2, 3]);
    other.close();
    const fourth = await reveal(student);
    expect(fourth).toMatchObject({ ok: false, error: { code: 'conflict', message: 'All 3 hints are already shown.' } });

    const events = (await server.store.listEvents(waiting.id)).filter((e) => e.type === 'hint');
    expect(events.map((e) => e.data)).toEqual(ring.hints.map((text, i) => ({ number: i + 1, text })));
    expect(events.every((e) => e.participantId === student.state!.you.id)).toBe(true);

    await submit(student);
    expect(errorCode(await reveal(student))).toBe('session_ended');
    student.close();
    // The report's data (the attempt's own link) carries the hints on the timeline.
    const review = await server.http('GET', '/api/review', undefined, tokenOf(waiting.link));
    expect(review.status).toBe(200);
    expect((review.body.events as any[]).filter((e) => e.type === 'hint').map((e) => e.data.number)).toEqual([1, 2, 3]);
    // The attempt's export keeps them, and imports whole on a dashboard.
    const exported = await server.http('GET', '/api/review/export', undefined, tokenOf(waiting.link));
    expect((exported.body.events as any[]).filter((e) => e.type === 'hint')).toHaveLength(3);
    const imported = await server.http('POST', '/api/import', exported.body);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect((await server.store.listEvents(imported.body.id)).filter((e) => e.type === 'hint').map((e) => e.data['text'])).toEqual(ring.hints);
  });

  it('gives no hints in an interview, to the candidate or the interviewer', async () => {
    const s = await server.createSession({}, { start: true });
    for (const link of [s.links.candidate, s.links.mentor]) {
      const c = await connect(server.url, link);
      expect(c.state?.hints).toBeUndefined();
      const r = await reveal(c);
      expect(errorCode(r)).toBe('forbidden');
      c.close();
    }
    expect((await server.store.listEvents(s.id)).some((e) => e.type === 'hint')).toBe(false);
  });

  it('after submitting: what each case tests, the previous attempt, the history, and trying again from the code', async () => {
    const ada = browser(server);
    const ring = (await exercises()).get('ring-buffer')!;
    const first = (await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', start: true })).body as PracticeAttempt;
    expect((await ada.call('GET', `/api/practice/attempts/${first.id}/learn`)).status).toBe(409); // not before submitting
    let student = await connect(server.url, first.link);
    const firstCode = '// first try\n#include "ring.h"\n';
    await student.edit((t) => {
      t.delete(0, t.length);
      t.insert(0, firstCode);
    });
    await submit(student);
    student.close();

    const learned = await ada.call('GET', `/api/practice/attempts/${first.id}/learn`);
    expect(learned.status).toBe(200);
    const lesson = learned.body as PracticeLearn;
    const hidden = ring.cases.filter((c) => !c.visible);
    expect(lesson.lessons.filter((l) => !l.visible)).toEqual(hidden.map((c) => ({ name: c.name, visible: false, explain: c.explain })));
    expect(lesson).toMatchObject({ attempt: { id: first.id, status: 'ended' }, code: firstCode, previous: null });
    expect(lesson.history.map((a) => a.id)).toEqual([first.id]);
    for (const c of hidden.filter((x) => x.input.trim().length > 12)) expect(learned.text).not.toContain(JSON.stringify(c.input).slice(1, -1));

    // Someone else's attempt is answered like a missing one, on every route.
    const eve = browser(server);
    expect((await eve.call('GET', `/api/practice/attempts/${first.id}/learn`)).status).toBe(404);
    expect((await eve.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', from: first.id })).status).toBe(404);
    expect(((await eve.call('GET', '/api/practice/exercises/ring-buffer')).body as PracticeExerciseDetail).attempts).toEqual([]);

    // From an attempt at another exercise, or one not submitted: refused with the reason.
    const wrongExercise = await ada.call('POST', '/api/practice/attempts', { exercise: 'mem-search', from: first.id });
    expect(wrongExercise.status).toBe(400);
    expect(wrongExercise.body.error.message).toMatch(/another exercise/);

    const again = await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', start: true, from: first.id });
    expect(again.status).toBe(201);
    const second = again.body as PracticeAttempt;
    expect(await storedText(server.store, second.id)).toBe(firstCode);
    const unfinished = await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', from: second.id });
    expect(unfinished.status).toBe(409);
    expect(unfinished.body.error.message).toMatch(/Submit that attempt/);

    student = await connect(server.url, second.link);
    await student.edit((t) => t.insert(t.length, 'int x;\n'));
    await submit(student);
    student.close();
    const secondLesson = (await ada.call('GET', `/api/practice/attempts/${second.id}/learn`)).body as PracticeLearn;
    expect(secondLesson.code).toBe(`${firstCode}int x;\n`);
    expect(secondLesson.previous).toMatchObject({ attempt: { id: first.id }, code: firstCode });
    expect(secondLesson.history.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(secondLesson.history.every((a) => a.score !== null && a.startedAt !== null && a.endedAt !== null)).toBe(true);
    // The first attempt's lessons still compare with nothing before it.
    expect(((await ada.call('GET', `/api/practice/attempts/${first.id}/learn`)).body as PracticeLearn).previous).toBeNull();
    // A fresh start from the starter.
    const fresh = (await ada.call('POST', '/api/practice/attempts', { exercise: 'ring-buffer', start: true })).body as PracticeAttempt;
    expect(await storedText(server.store, fresh.id)).toBe(ring.starter);
  });
});
