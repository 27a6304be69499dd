// The scratch console over real sockets with the real runner: the scratch file is shared like the
// solution, a run compiles both as the server stores them and runs main() with the typed stdin,
// everyone in the session sees the result, the timeline (and an export) records it, and nothing
// hidden can come out of it.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_EVENT_TEXT, CONSOLE_STDIN_BYTES, type ConsoleRunView } from '../../common/console.ts';
import type { Result, RunQueued, SessionSummary } from '../../common/protocol.ts';
import type { ReviewData } from '../../common/review.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../../server/src/runner/index.ts';
import { connect, exercises, startServer, tokenOf, type TestServer, type YClient } from './helpers.ts';
import { RING_MAIN } from '../support/scratch-programs.ts';

let runner: Runner;
let server: TestServer;
let ex: Exercise;

beforeAll(async () => {
  // Short run limit so the endless loop below ends soon; compiles may be slow on a busy machine.
  runner = createRunner({ limits: { concurrency: 1, runMs: 4_000, compileMs: 60_000 } });
  server = await startServer({ runner });
  ex = (await exercises()).defaultExercise;
});
afterAll(async () => {
  await server?.close();
  await runner?.close();
});

const scratchOf = (c: YClient) => c.doc.getText('scratch');
const frameText = (c: YClient) => c.frames.map((f) => (typeof f === 'string' ? f : Buffer.from(f).toString('latin1'))).join('\n');

/** Replaces the scratch file (or the solution) through this client; resolves with the server's ack. */
function setText(c: YClient, name: 'scratch' | 'code', text: string): Promise<Result<null>> {
  return c.edit(() => {
    const t = c.doc.getText(name);
    c.doc.transact(() => {
      t.delete(0, t.length);
      t.insert(0, text);
    });
  });
}

function consoleRun(c: YClient, payload: unknown): Promise<Result<RunQueued>> {
  return c.socket.timeout(10_000).emitWithAck('console:run', payload as { stdin: string });
}

/** Runs and waits for the result as `watcher` receives it. */
async function runConsole(c: YClient, stdin: string, watcher: YClient = c): Promise<ConsoleRunView> {
  await c.settled();
  const result = watcher.next<[ConsoleRunView]>('console:result', () => true, 90_000);
  const r = await consoleRun(c, { stdin });
  expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
  return (await result)[0];
}

async function liveSession(): Promise<{ s: SessionSummary; mentor: YClient; cand: YClient; obs: YClient }> {
  const s = await server.createSession();
  const mentor = await connect(server.url, s.links.mentor, 'Grace');
  const cand = await connect(server.url, s.links.candidate);
  const obs = await connect(server.url, s.links.observer, 'Olga');
  expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
  return { s, mentor, cand, obs };
}

describe('scratch console', () => {
  it('starts every session with a scratch main() that includes the public header, shared live with everyone', async () => {
    const { mentor, cand, obs } = await liveSession();
    expect(ex.slug).toBe('ring-buffer');
    for (const c of [mentor, cand, obs]) {
      expect(scratchOf(c).toString()).toContain('#include "ring.h"');
      expect(scratchOf(c).toString()).toMatch(/never graded/);
    }
    expect((await setText(cand, 'scratch', RING_MAIN)).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(scratchOf(mentor).toString()).toBe(RING_MAIN);
    expect(scratchOf(obs).toString()).toBe(RING_MAIN);
    // Observers read the scratch file but may not write it.
    const refused = await obs.edit(() => scratchOf(obs).insert(0, '// observer\n'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const c of [mentor, cand, obs]) c.close();
  });

  it("runs the candidate's main() with stdin against their solution; everyone sees the result and nothing hidden", async () => {
    const { s, mentor, cand, obs } = await liveSession();
    expect((await setText(cand, 'code', ex.solution)).ok).toBe(true);
    expect((await setText(cand, 'scratch', RING_MAIN)).ok).toBe(true);
    await cand.settled();
    const queuedSeen = obs.next<[RunQueued]>('console:queued');
    const results = Promise.all([mentor, cand, obs].map((c) => c.next<[ConsoleRunView]>('console:result', () => true, 90_000)));
    const queued = await consoleRun(cand, { stdin: '1 2 3 4\n' });
    expect(queued).toMatchObject({ ok: true, value: { runId: expect.any(String), position: expect.any(Number) } });
    expect(await consoleRun(cand, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await queuedSeen)[0].runId).toBe(queued.ok && queued.value.runId);
    const [[m], [c], [o]] = (await results) as [[ConsoleRunView], [ConsoleRunView], [ConsoleRunView]];
    expect(c).toMatchObject({ status: 'ok', exitCode: 7, stdout: '2 3 4 \n', stderr: 'left: 0\n', stdin: '1 2 3 4\n', requestedBy: 'Ada', diagnostics: [] });
    expect(m).toEqual(c);
    expect(o).toEqual(c);

    // The program runs without the test driver or any file: it cannot read the cases.
    const PROBE = `#include <stdio.h>
int main(void) {
    const char *paths[] = {"tests/cases.json", "exercises/ring-buffer/tests/cases.json", "/etc/passwd", "cases.json", "driver.c", "solution.c"};
    for (int i = 0; i < 6; i++) printf("%s: %s\\n", paths[i], fopen(paths[i], "r") ? "OPEN" : "no");
    return 0;
}
`;
    expect((await setText(cand, 'scratch', PROBE)).ok).toBe(true);
    const probe = await runConsole(cand, '');
    expect(probe.status).toBe('ok');
    expect(probe.stdout).not.toContain('OPEN');
    // A program that names the driver's entry points does not link: the driver is not there.
    expect((await setText(cand, 'scratch', 'extern int run_case(void);\nint main(void) { return run_case(); }\n')).ok).toBe(true);
    const noDriver = await runConsole(cand, '');
    expect(noDriver.status).toBe('compile_error');
    expect(noDriver.diagnostics).toContainEqual(expect.objectContaining({ file: 'scratch.c', message: expect.stringMatching(/run_case is used but never defined/) }));

    const hidden = ex.cases
      .filter((x) => !x.visible)
      .flatMap((x) => x.input.split('\n'))
      .map((l) => l.trim())
      .filter((l) => l.length >= 8);
    const visible = ex.cases
      .filter((x) => x.visible)
      .map((x) => x.input)
      .join('\n');
    for (const client of [cand, obs]) {
      const text = frameText(client);
      for (const line of hidden.filter((l) => !visible.includes(l) && !RING_MAIN.includes(l))) expect(text).not.toContain(line);
    }
    for (const x of [mentor, cand, obs]) x.close();
    void s;
  }, 180_000);

  it('shows someone joining later the latest run: in full while the session is in memory, as recorded after', async () => {
    const { s, mentor, cand, obs } = await liveSession();
    expect((await setText(cand, 'code', ex.solution)).ok).toBe(true);
    expect((await setText(cand, 'scratch', RING_MAIN)).ok).toBe(true);
    await runConsole(cand, '9 8\n');
    const latest = await runConsole(cand, '1 2 3 4\n');
    const late = await connect(server.url, s.links.observer, 'Late');
    expect(late.state?.console).toEqual(latest);

    // Once everyone has left an ended session it leaves memory; the timeline is what remains.
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await server.app.sessions.idle();
    for (const x of [mentor, cand, obs, late]) x.close();
    const until = Date.now() + 10_000;
    while (server.app.sessions.loadedRecord(s.id) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(server.app.sessions.loadedRecord(s.id)).toBeUndefined();
    const back = await connect(server.url, s.links.candidate);
    expect(back.state?.console).toMatchObject({
      id: latest.id,
      recorded: true,
      requestedBy: 'Ada',
      status: 'ok',
      exitCode: 7,
      stdin: '1 2 3 4\n',
      stdout: '2 3 4 \n',
      stderr: 'left: 0\n',
      stdoutTruncated: false,
      stderrTruncated: false,
    });
    back.close();
  }, 180_000);

  it('explains a crash with the file and line where it happened', async () => {
    const { mentor, cand, obs } = await liveSession();
    const crashing = `${ex.solution}\nint read_through(const int *p) {\n    return *p;\n}\n`;
    const crashLine = crashing.split('\n').findIndex((l) => l.includes('return *p;')) + 1;
    expect((await setText(cand, 'code', crashing)).ok).toBe(true);
    expect((await setText(cand, 'scratch', '#include <stddef.h>\nint read_through(const int *p);\n\nint main(void) {\n    return read_through(NULL);\n}\n')).ok).toBe(true);
    const inSolution = await runConsole(cand, '', obs);
    expect(inSolution.status).toBe('runtime_error');
    expect(inSolution.exitCode).toBeNull();
    expect(inSolution.fault).toMatchObject({ kind: 'null_dereference', file: 'solution.c', line: crashLine, function: 'read_through' });

    expect((await setText(cand, 'scratch', '#include <stdio.h>\n\nint main(void) {\n    int zero = 0;\n    scanf("%d", &zero);\n    return 10 / zero;\n}\n')).ok).toBe(true);
    const inScratch = await runConsole(cand, '0\n');
    expect(inScratch.fault).toMatchObject({ kind: 'divide_by_zero', file: 'scratch.c', line: 6, function: 'main' });

    expect((await setText(cand, 'scratch', 'int main(void) {\n    return not_declared;\n}\n')).ok).toBe(true);
    const broken = await runConsole(cand, '');
    expect(broken.status).toBe('compile_error');
    expect(broken.diagnostics).toContainEqual(expect.objectContaining({ file: 'scratch.c', line: 2, severity: 'error' }));
    for (const x of [mentor, cand, obs]) x.close();
  }, 180_000);

  it('applies the runner limits and refuses bad payloads with clear errors', async () => {
    const { mentor, cand, obs } = await liveSession();
    expect((await setText(cand, 'code', ex.solution)).ok).toBe(true);
    for (const [payload, code] of [
      [undefined, 'bad_request'],
      [{}, 'bad_request'],
      [{ stdin: 42 }, 'bad_request'],
      [{ stdin: '', extra: true }, 'bad_request'],
      [{ stdin: 'x'.repeat(CONSOLE_STDIN_BYTES + 1) }, 'too_large'],
      // Bytes, not characters: 3-byte characters pass the length a plain count would allow.
      [{ stdin: '€'.repeat(CONSOLE_STDIN_BYTES / 2) }, 'too_large'],
    ] as const) {
      const r = await consoleRun(cand, payload);
      expect(r, JSON.stringify(payload)?.slice(0, 40)).toMatchObject({ ok: false, error: { code } });
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(10);
    }
    expect(await consoleRun(cand, { stdin: 'y'.repeat(CONSOLE_STDIN_BYTES) })).toMatchObject({ ok: true });
    await cand.next('console:result', () => true, 90_000);

    expect((await setText(cand, 'scratch', '#include <stdio.h>\nint main(void) {\n    for (;;) puts("again and again");\n}\n')).ok).toBe(true);
    const flood = await runConsole(cand, '');
    expect(flood).toMatchObject({ status: 'output_limit', stdoutTruncated: true });
    expect(flood.stdout.length).toBeLessThanOrEqual(runner.limits.outputBytes);

    expect((await setText(cand, 'scratch', 'int main(void) {\n    volatile int x = 1;\n    while (x) {}\n    return 0;\n}\n')).ok).toBe(true);
    expect(await runConsole(cand, '')).toMatchObject({ status: 'timeout', exitCode: null });
    for (const x of [mentor, cand, obs]) x.close();
  }, 180_000);

  it('is allowed by the policy: never observers, candidates once started, nobody after the end', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor, 'Grace');
    const cand = await connect(server.url, s.links.candidate);
    const obs = await connect(server.url, s.links.observer, 'Olga');
    expect(await consoleRun(cand, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await consoleRun(obs, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    expect(await consoleRun(obs, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    expect(await consoleRun(cand, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(await consoleRun(mentor, { stdin: '' })).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    expect(obs.events.some((e) => e.event === 'console:result')).toBe(false);
    for (const x of [mentor, cand, obs]) x.close();
  }, 60_000);

  it('records each run in the timeline, which the review shows and an export carries', async () => {
    const { s, mentor, cand, obs } = await liveSession();
    expect((await setText(cand, 'code', ex.solution)).ok).toBe(true);
    expect((await setText(cand, 'scratch', RING_MAIN)).ok).toBe(true);
    const first = await runConsole(cand, '5 6\n');
    const long = `#include <stdio.h>\nint main(void) {\n    for (int i = 0; i < 500; i++) printf("line %d\\n", i);\n    return 0;\n}\n`;
    expect((await setText(mentor, 'scratch', long)).ok).toBe(true);
    const second = await runConsole(mentor, 'z'.repeat(3000), cand);
    expect(second.requestedBy).toBe('Grace');
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await server.app.sessions.idle();

    const review = await server.http('GET', '/api/review', undefined, tokenOf(s.links.review));
    expect(review.status).toBe(200);
    const data = review.body as ReviewData;
    const consoles = data.events.filter((e) => e.type === 'console');
    expect(consoles).toHaveLength(2);
    const candidateId = data.participants.find((p) => p.role === 'candidate')!.id;
    expect(consoles[0]).toMatchObject({
      participantId: candidateId,
      data: { runId: first.id, status: 'ok', exitCode: 7, stdin: '5 6\n', stdout: '5 6 \n', stderr: 'left: 0\n', fault: null },
    });
    expect(consoles[1]!.data).toMatchObject({ runId: second.id, stdinChars: 3000, stdoutChars: second.stdout.length, exitCode: 0 });
    expect(String(consoles[1]!.data['stdin'])).toHaveLength(CONSOLE_EVENT_TEXT);
    expect(String(consoles[1]!.data['stdout'])).toBe(second.stdout.slice(0, CONSOLE_EVENT_TEXT));

    // The export carries them (version 1 still), and an import accepts them back.
    const exported = await server.http('GET', '/api/review/export', undefined, tokenOf(s.links.review));
    expect(exported.body).toMatchObject({ version: 1 });
    const imported = await server.http('POST', '/api/import', exported.body);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const copy = (await server.http('GET', '/api/review', undefined, tokenOf((imported.body as SessionSummary).links.review))).body as ReviewData;
    expect(copy.events.filter((e) => e.type === 'console').map((e) => e.data)).toEqual(consoles.map((e) => e.data));
    // And the replayed document holds the scratch file as it was.
    const doc = new Y.Doc();
    for (const u of copy.updates) Y.applyUpdate(doc, Buffer.from(u.bytes, 'base64'));
    expect(doc.getText('scratch').toString()).toBe(long);
    for (const x of [mentor, cand, obs]) x.close();
  }, 180_000);
});
