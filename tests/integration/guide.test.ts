// The interviewer's guide and the reference solution: the interview's mentor gets both in the room
// (during and after the interview); nobody else does, checked on the raw socket frames and on every
// HTTP body a candidate, an observer, a student (their exercise page, attempts and what to learn
// from one) or a review link can fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PracticeAttempt } from '../../common/practice.ts';
import type { RunView } from '../../common/protocol.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import type { Runner } from '../../server/src/runner/index.ts';
import { connect, exercises, startServer, testRunner, tokenOf, type TestServer, type YClient } from './helpers.ts';

let runner: Runner;
let server: TestServer;

beforeAll(async () => {
  runner = testRunner();
  server = await startServer({ runner });
});
afterAll(async () => {
  await server?.close();
  await runner?.close();
});

const frameText = (c: YClient) => c.frames.map((f) => (typeof f === 'string' ? f : Buffer.from(f).toString('latin1'))).join('\n');

/** Lines of the guide and of the solution that appear nowhere in what anyone may see. */
function secretLines(ex: Exercise): string[] {
  const publicText = [ex.starter, ex.statement, ex.scratch ?? '', ...Object.values(ex.headers)].join('\n');
  const lines = [...(ex.guide ?? '').split('\n'), ...ex.solution.split('\n')].map((l) => l.trim());
  // JSON-escaped as they travel in frames and bodies (quotes, backslashes).
  return [...new Set(lines.filter((l) => l.length >= 25 && !publicText.includes(l)))].map((l) => JSON.stringify(l).slice(1, -1));
}

function expectNone(where: string, text: string, secrets: string[]): void {
  expect(text.length, `${where} received something`).toBeGreaterThan(200);
  for (const s of secrets) expect(text, `${where} received: ${s}`).not.toContain(s);
}

describe("the interviewer's guide", () => {
  it('reaches the interview mentor in the room, during and after; never the candidate, observers or a review link', async () => {
    const ex = (await exercises()).defaultExercise;
    expect(ex.guide).toMatch(/## What to watch for/);
    const secrets = secretLines(ex);
    expect(secrets.length).toBeGreaterThan(10);

    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor, 'Grace');
    const cand = await connect(server.url, s.links.candidate);
    const obs = await connect(server.url, s.links.observer, 'Olga');
    expect(mentor.state!.guide).toEqual({ markdown: ex.guide, solution: ex.solution });
    for (const c of [cand, obs]) expect(c.state!.guide).toBeUndefined();

    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    const finals = [mentor, cand, obs].map((c) => c.next<[RunView]>('run:result', (r) => r.kind === 'final', 90_000));
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await Promise.all(finals);

    // After the end: the mentor coming back still has it; the others, coming back, still do not.
    const mentor2 = await connect(server.url, s.links.mentor, 'Grace');
    const cand2 = await connect(server.url, s.links.candidate);
    const obs2 = await connect(server.url, s.links.observer, 'Olga');
    expect(mentor2.state).toMatchObject({ status: 'ended', guide: { markdown: ex.guide, solution: ex.solution } });
    expect(frameText(mentor2)).toContain(secrets[0]);
    for (const [who, c] of [
      ['candidate', cand],
      ['observer', obs],
      ['candidate back', cand2],
      ['observer back', obs2],
    ] as const) {
      expect(c.state!.guide, who).toBeUndefined();
      expectNone(who, frameText(c), secrets);
    }

    // HTTP: the review data and the export (review link and the mentor's link), the exercise list.
    for (const link of [s.links.review, s.links.mentor]) {
      for (const route of ['/api/review', '/api/review/export']) {
        const r = await server.http('GET', route, undefined, tokenOf(link));
        expect(r.status, `${route} with ${link}`).toBe(200);
        expectNone(`${route} with ${link}`, JSON.stringify(r.body), secrets);
      }
    }
    for (const route of ['/api/exercises', '/api/sessions', `/api/sessions/${s.id}`]) {
      expectNone(route, JSON.stringify((await server.http('GET', route)).body), secrets);
    }
    for (const c of [mentor, cand, obs, mentor2, cand2, obs2]) c.close();
  }, 180_000);

  it('never reaches a student: room, catalogue, attempts, replay and export of their attempt', async () => {
    const ex = (await exercises()).get('ring-buffer')!;
    const secrets = secretLines(ex);
    const started = await fetch(`${server.url}/api/practice/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: ex.slug }),
    });
    expect(started.status).toBe(201);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const attempt = (await started.json()) as PracticeAttempt;
    const student = await connect(server.url, attempt.link);
    expect(student.state).toMatchObject({ mode: 'practice', role: 'candidate' });
    expect(student.state!.guide).toBeUndefined();
    expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    const final = student.next<[RunView]>('run:result', (r) => r.kind === 'final', 90_000);
    expect((await student.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await final;
    const again = await connect(server.url, attempt.link);
    expect(again.state!.guide).toBeUndefined();
    expectNone('student', frameText(student), secrets);
    expectNone('student back', frameText(again), secrets);

    const bodies: Array<[string, string]> = [];
    for (const route of ['/api/practice/exercises', `/api/practice/exercises/${ex.slug}`, '/api/practice/attempts', `/api/practice/attempts/${attempt.id}/learn`]) {
      const r = await fetch(server.url + route, { headers: { cookie } });
      bodies.push([route, await r.text()]);
    }
    for (const route of ['/api/review', '/api/review/export']) {
      const r = await server.http('GET', route, undefined, tokenOf(attempt.link));
      expect(r.status, route).toBe(200);
      bodies.push([route, JSON.stringify(r.body)]);
    }
    for (const [route, text] of bodies) expectNone(route, text, secrets);
    for (const c of [student, again]) c.close();
  }, 180_000);
});
