// What a candidate's program writes cannot carry a hidden case's input to a role without
// 'see:hidden' (common/policy.ts). The program reads its stdin in a constructor and puts it
// everywhere it can: stdout, stderr, a custom "Assertion failed:" line before abort(), the choice
// of a failing assert() (fault line and function), and its exit code. Every exit is checked on the
// raw text received (socket frames and events, HTTP bodies): the live room, run history on join,
// the timeline, replay, report and export, "test this moment" and the console. The interviewer and
// the interview's review link still see it (which also proves the program does leak).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../common/exercise.ts';
import type { RunView, SessionSummary } from '../../common/protocol.ts';
import type { PracticeAttempt } from '../../common/practice.ts';
import type { ReviewData, ReviewRun } from '../../common/review.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import type { Runner } from '../../server/src/runner/index.ts';
import { unseal } from '../../server/src/sessions/tokens.ts';
import { connect, exercises, startServer, testRunner, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

let runner: Runner;
let server: TestServer;
let ex: Exercise;
/** Lines of hidden inputs that appear nowhere public (at least 8 characters, so no chance match). */
let markers: string[];

beforeAll(async () => {
  runner = testRunner();
  server = await startServer({ runner });
  ex = (await exercises()).defaultExercise;
  const publicText = [ex.starter, ex.statement, ex.scratch ?? '', ...Object.values(ex.headers), ...ex.cases.filter((c) => c.visible).map((c) => c.input)].join('\n');
  const lines = ex.cases.filter((c) => !c.visible).flatMap((c) => c.input.split('\n').map((l) => l.trim()));
  // Plain characters only, so that JSON escaping cannot hide a match.
  markers = [...new Set(lines.filter((l) => l.length >= 8 && /^[A-Za-z0-9 +\-/*_]+$/.test(l) && !publicText.includes(l)))];
});
afterAll(async () => {
  await server?.close();
  await runner?.close();
});

/** Reads all of stdin before main, newlines as '|', and leaks it. `ending` decides how it stops. */
const leaker = (ending: string) => `#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
static char leaked[16384];
static void hidden_odd(void) { assert(!"the input starts with an odd byte"); }
static void hidden_even(void) { assert(!"the input starts with an even byte"); }
__attribute__((constructor)) static void leak_input(void) {
  size_t n = fread(leaked, 1, sizeof leaked - 1, stdin);
  leaked[n] = '\\0';
  for (size_t i = 0; i < n; i++) if (leaked[i] == '\\n') leaked[i] = '|';
  printf("%s\\n", leaked);
  fprintf(stderr, "%s\\n", leaked);
  fflush(stdout);
  ${ending}
}
`;
/** A custom assertion line (classifyFault quoted it as the fault's message), then an assert chosen by the input. */
const ABORTS = leaker(`fprintf(stderr, "Assertion failed: %s\\n", leaked);
  if (leaked[0] & 1) hidden_odd(); else hidden_even();
  abort();`);
/** Exits with a code derived from the input. */
const EXITS = leaker(`exit((unsigned char)leaked[n / 2]);`);

const program = (leak: string) => `${leak}\n${ex.solution}`;

/** Every received event, serialized, and the raw frames: all a browser got. */
const received = (c: YClient) => JSON.stringify(c.events) + c.frames.map((f) => (typeof f === 'string' ? f : Buffer.from(f).toString('latin1'))).join('\n');

function expectNoHiddenInput(what: string, text: string): void {
  expect(text.length, `${what}: nothing received`).toBeGreaterThan(100);
  for (const m of markers) {
    const at = text.indexOf(m);
    expect(at, `${what} carries the hidden input "${m}": …${text.slice(Math.max(0, at - 120), at + 120)}…`).toBe(-1);
  }
}

/** A hidden case is its name and status for a role without 'see:hidden': not one field more. */
function expectNameAndStatusOnly(what: string, cases: CaseResult[]): void {
  for (const c of cases.filter((x) => !x.visible)) expect(Object.keys(c).sort(), `${what}: ${c.name}`).toEqual(['name', 'status', 'visible']);
}

function runsOf(c: YClient): RunView[] {
  return c.events.flatMap((e) => (e.event === 'run:result' ? [e.args[0] as RunView] : e.event === 'session:state' ? ((e.args[0] as { runs: RunView[] }).runs ?? []) : []));
}

async function type(c: YClient, source: string): Promise<void> {
  expect(
    (
      await c.edit((t) => {
        t.delete(0, t.length);
        t.insert(0, source);
      })
    ).ok,
  ).toBe(true);
}

async function run(c: YClient, watchers: YClient[], kind: 'manual' | 'final' = 'manual'): Promise<void> {
  const done = watchers.map((w) => w.next<[RunView]>('run:result', (r) => r.kind === kind, 90_000));
  const r = await c.socket.timeout(10_000).emitWithAck(kind === 'final' ? 'session:end' : 'run:request');
  expect(r.ok, JSON.stringify(r)).toBe(true);
  await Promise.all(done);
}

/** GET /api/review, POST /api/review/test (the moment of the first run) and the export, as `token`. */
async function reviewExits(token: string): Promise<{ status: number; text: string; data: ReviewData; tested: ReviewRun; exported: any }> {
  const review = await server.http('GET', '/api/review', undefined, token);
  const data = review.body as ReviewData;
  const updateId = review.status === 200 ? data.runs[0]!.updateId! : 1;
  const tested = await server.http('POST', '/api/review/test', { updateId }, token);
  const exported = await server.http('GET', '/api/review/export', undefined, token);
  const text = [review, tested, exported].map((r) => JSON.stringify(r.body)).join('\n');
  return { status: review.status, text, data, tested: tested.body as ReviewRun, exported: exported.body };
}

function linkOf(tokens: { role: string; sealed: string }[], role: string): string {
  return unseal(server.keys.linkKey, tokens.find((t) => t.role === role)!.sealed);
}

describe('a program that leaks its stdin', () => {
  it('in an interview: nothing of a hidden input reaches the candidate or the observer; the interviewer and the review link see it', async () => {
    expect(markers.length).toBeGreaterThan(3);
    const s: SessionSummary = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor, 'Grace');
    const cand = await connect(server.url, s.links.candidate);
    const obs = await connect(server.url, s.links.observer, 'Olga');
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    await until(() => cand.events.some((e) => e.event === 'timer:update'), 5000, 'live');

    await type(cand, program(ABORTS));
    await run(cand, [mentor, cand, obs]);
    // The console runs the same constructor on the stdin typed beside it (never a case's).
    const consoleDone = obs.next('console:result', () => true, 90_000);
    expect((await cand.socket.timeout(10_000).emitWithAck('console:run', { stdin: 'typed by hand\n' })).ok).toBe(true);
    await consoleDone;
    await type(cand, program(EXITS));
    await run(mentor, [mentor, cand, obs], 'final');
    // Run history on (re)joining.
    const cand2 = await connect(server.url, s.links.candidate);
    const obs2 = await connect(server.url, s.links.observer, 'Olga');
    const mentor2 = await connect(server.url, s.links.mentor, 'Grace');

    // The program leaks: the interviewer sees the hidden input in the assertion line of the manual run.
    const mentorRuns = runsOf(mentor);
    expect(mentorRuns.some((r) => r.cases.some((c) => !c.visible && markers.some((m) => c.fault?.message.includes(m))))).toBe(true);
    expect(received(mentor2)).toContain(markers[0]);
    expect(runsOf(cand).map((r) => r.kind)).toEqual(['manual', 'final']);
    for (const [who, c] of [
      ['candidate', cand],
      ['observer', obs],
      ['candidate on rejoining', cand2],
      ['observer on rejoining', obs2],
    ] as const) {
      expectNoHiddenInput(who, received(c));
      for (const r of runsOf(c)) expectNameAndStatusOnly(who, r.cases);
    }
    expect(runsOf(cand2)).toHaveLength(2);

    // The review: the interviewer's link and the review link see hidden details; the others get no review.
    for (const link of [s.links.mentor, s.links.review]) {
      const r = await reviewExits(tokenOf(link));
      expect(r.status).toBe(200);
      expect(r.data.runs.flatMap((x) => x.cases).filter((c) => !c.visible && c.fault)).not.toHaveLength(0);
      for (const m of markers.slice(0, 3)) expect(r.text, `${link} misses ${m}`).toContain(m);
    }
    for (const link of [s.links.candidate, s.links.observer]) {
      const r = await reviewExits(tokenOf(link));
      expect(r.status).toBe(403);
      expectNoHiddenInput(`review as ${link}`, r.text);
    }
    for (const c of [mentor, cand, obs, cand2, obs2, mentor2]) c.close();
  }, 240_000);

  it('in practice: the student sees none of it, in the room, on rejoining, nor in the replay, report, export, what the attempt teaches or a test of a moment (own link or the review link)', async () => {
    let cookie = '';
    const started = await fetch(`${server.url}/api/practice/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: ex.slug }),
    });
    cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    expect(started.status).toBe(201);
    const attempt = (await started.json()) as PracticeAttempt;
    const student = await connect(server.url, attempt.link);
    expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    await type(student, program(ABORTS));
    await run(student, [student]);
    const consoleDone = student.next('console:result', () => true, 90_000);
    expect((await student.socket.timeout(10_000).emitWithAck('console:run', { stdin: 'typed by hand\n' })).ok).toBe(true);
    await consoleDone;
    await type(student, program(EXITS));
    await run(student, [student], 'final');
    const student2 = await connect(server.url, attempt.link);
    await server.app.sessions.idle();

    const finals = runsOf(student).filter((r) => r.kind === 'final');
    expect(finals[0]!.hiddenRevealed).toBe(true);
    expect(finals[0]!.cases.filter((c) => !c.visible).length).toBe(ex.cases.filter((c) => !c.visible).length);
    for (const [who, c] of [
      ['student', student],
      ['student on rejoining', student2],
    ] as const) {
      expectNoHiddenInput(who, received(c));
      for (const r of runsOf(c)) expectNameAndStatusOnly(who, r.cases);
    }

    // The student's own link (the replay link they are given) and the attempt's review link.
    const tokens = await server.store.listTokens(attempt.id);
    for (const token of [tokenOf(attempt.replay), linkOf(tokens, 'review')]) {
      const r = await reviewExits(token);
      expect(r.status).toBe(200);
      expect(r.data.runs.map((x) => x.kind)).toEqual(['manual', 'final']);
      expect(r.data.events.some((e) => e.type === 'console')).toBe(true);
      expectNoHiddenInput('practice review', r.text);
      for (const x of [...r.data.runs, r.tested]) expectNameAndStatusOnly('practice review', x.cases);
      for (const x of r.exported.runs) expectNameAndStatusOnly('practice export', x.result.cases);
    }
    // The catalogue and the attempt list carry scores only.
    const mine = await fetch(`${server.url}/api/practice/attempts`, { headers: { cookie } });
    expectNoHiddenInput('attempts', await mine.text());
    // What the submitted attempt teaches (what each case checks, the code, the history), and the exercise page.
    for (const route of [`/api/practice/attempts/${attempt.id}/learn`, `/api/practice/exercises/${ex.slug}`]) {
      const res = await fetch(`${server.url}${route}`, { headers: { cookie } });
      expect(res.status, route).toBe(200);
      expectNoHiddenInput(route, await res.text());
    }
    for (const c of [student, student2]) c.close();
  }, 240_000);
});
