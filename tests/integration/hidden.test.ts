// Hidden test cases, the reference solution and mentor notes never reach a candidate's or an
// observer's socket, checked on the raw frames received, with real runs (real runner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunQueued, RunView } from '../../common/protocol.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import type { Runner } from '../../server/src/runner/index.ts';
import { connect, exercises, startServer, testRunner, type TestServer, type YClient } from './helpers.ts';

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

/** Lines of the solution that appear nowhere a candidate may legitimately see. */
function solutionMarkers(ex: Exercise): string[] {
  const publicText = [ex.starter, ex.statement, ...Object.values(ex.headers)].join('\n');
  return ex.solution
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 25 && !publicText.includes(l))
    .slice(0, 20);
}

/** Lines of hidden inputs that appear in no visible case and nowhere in the public material. */
function hiddenInputMarkers(ex: Exercise): string[] {
  const publicText = [ex.starter, ex.statement, ...Object.values(ex.headers), ...ex.cases.filter((c) => c.visible).map((c) => c.input)].join('\n');
  const lines = ex.cases.filter((c) => !c.visible).flatMap((c) => c.input.split('\n'));
  return [...new Set(lines.map((l) => l.trim()).filter((l) => l.length >= 8 && !publicText.includes(l)))];
}

describe('hidden data', () => {
  it('runs: the result reaches everyone, redacted per role; the server compiles its own copy', async () => {
    const ex = (await exercises()).defaultExercise;
    const hiddenCases = ex.cases.filter((c) => !c.visible);
    expect(hiddenCases.length).toBeGreaterThan(0);
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor, 'Grace');
    const cand = await connect(server.url, s.links.candidate);
    const obs = await connect(server.url, s.links.observer, 'Olga');
    // The candidate may edit and run only once the mentor has started the timer.
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);

    const NOTE = 'NOTE-7f3a: struggled with wraparound';
    expect((await mentor.socket.timeout(5000).emitWithAck('note:add', { text: NOTE })).ok).toBe(true);

    // The candidate types the reference solution (the test knows it; the browser never would).
    expect(
      (
        await cand.edit((t) => {
          t.delete(0, t.length);
          t.insert(0, ex.solution);
        })
      ).ok,
    ).toBe(true);
    // What the candidate's browser holds locally is irrelevant: the server compiles its copy.
    const queuedSeenByObserver = obs.next<[RunQueued]>('run:queued');
    const results = Promise.all([mentor, cand, obs].map((c) => c.next<[RunView]>('run:result', () => true, 60_000)));
    const queued = await cand.socket.timeout(5000).emitWithAck('run:request');
    expect(queued).toMatchObject({ ok: true, value: { runId: expect.any(String), position: expect.any(Number) } });
    expect(await cand.socket.timeout(5000).emitWithAck('run:request')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await queuedSeenByObserver)[0].runId).toBe(queued.ok && queued.value.runId);
    const [[m], [c], [o]] = (await results) as [[RunView], [RunView], [RunView]];
    expect(m.cases.filter((x) => x.status !== 'pass').map((x) => `${x.name}: ${x.status}`)).toEqual([]);
    expect(m).toMatchObject({ status: 'ok', passed: ex.cases.length, total: ex.cases.length, requestedBy: 'Ada' });
    expect(m.cases.filter((x) => !x.visible)).toHaveLength(hiddenCases.length);
    for (const v of [c, o]) {
      expect(v.cases.every((x) => x.visible)).toBe(true);
      expect(v).toMatchObject({ hiddenTotal: hiddenCases.length, hiddenPassed: hiddenCases.length, passed: ex.cases.length });
    }

    // A second run, of a broken document, then the end of the session and its final grading.
    await cand.edit((t) => t.insert(0, 'this does not compile;\n'));
    const broken = cand.next<[RunView]>('run:result', () => true, 60_000);
    await cand.socket.timeout(5000).emitWithAck('run:request');
    expect((await broken)[0].status).toBe('compile_error');
    const finals = [cand, obs, mentor].map((x) => x.next<[RunView]>('run:result', (r) => r.kind === 'final', 60_000));
    await mentor.socket.timeout(5000).emitWithAck('session:end');
    await Promise.all(finals);
    // Reconnection views too.
    const cand2 = await connect(server.url, s.links.candidate);
    const obs2 = await connect(server.url, s.links.observer, 'Olga');
    expect(cand2.state!.notes).toBeUndefined();
    expect(cand2.state!.runs).toHaveLength(3);

    // The solution was typed into the shared document, so everyone saw it legitimately; hidden
    // cases (names, inputs, details) and the note must never reach a non-mentor.
    const secrets = [...hiddenCases.map((h) => JSON.stringify({ name: h.name }).slice(1, -1)), NOTE, 'wraparound'];
    const mentorFrames = frameText(mentor);
    expect(mentorFrames).toContain(NOTE);
    expect(mentorFrames).toContain(secrets[0]);
    for (const client of [cand, obs, cand2, obs2]) {
      const text = frameText(client);
      expect(text.length).toBeGreaterThan(1000);
      for (const secret of secrets) expect(text, `${secret} reached a ${client.state!.role}`).not.toContain(secret);
    }
    for (const x of [mentor, cand, obs, cand2, obs2]) x.close();
  });

  it('a session that never saw the solution sends none of it, nor hidden cases, to candidates and observers', async () => {
    const ex = (await exercises()).defaultExercise;
    const s = await server.createSession({}, { start: true }); // so the candidate may run
    const cand = await connect(server.url, s.links.candidate);
    const obs = await connect(server.url, s.links.observer);
    const results = [cand, obs].map((c) => c.next<[RunView]>('run:result', () => true, 60_000));
    await cand.socket.timeout(5000).emitWithAck('run:request');
    await Promise.all(results);
    const markers = solutionMarkers(ex);
    const inputs = hiddenInputMarkers(ex);
    expect(inputs.length).toBeGreaterThan(0);
    const mentorOnly = await connect(server.url, s.links.mentor);
    const mentorView = JSON.stringify(mentorOnly.state);
    mentorOnly.close();
    for (const client of [cand, obs]) {
      const text = frameText(client);
      for (const m of markers) expect(text).not.toContain(m);
      for (const i of inputs) expect(text, `hidden input ${i}`).not.toContain(i);
      for (const h of ex.cases.filter((c) => !c.visible)) expect(text).not.toContain(JSON.stringify({ name: h.name }).slice(1, -1));
    }
    // The mentor's view does carry the hidden cases (names at least), so the check above can fail.
    expect(mentorView).toContain(JSON.stringify({ name: ex.cases.find((c) => !c.visible)!.name }).slice(1, -1));
    // HTTP: the exercise list carries no statement, solution or cases.
    const list = JSON.stringify((await server.http('GET', '/api/exercises')).body);
    for (const m of markers) expect(list).not.toContain(m);
    for (const c of [cand, obs]) c.close();
  });
});
