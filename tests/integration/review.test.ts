// Review, over a real server with the real runner: a recorded interview (typing, runs, a paste, a
// focus loss, a note, the end) replays to exactly the code each run graded; integrity signals and
// notes reach mentors and reviewers only; every role is tried on every review route; an export
// imports into a session that replays the same; malformed imports change nothing.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewData, ReviewRun } from '../../common/review.ts';
import type { SessionSummary } from '../../common/protocol.ts';
import { History } from '../../server/src/history/index.ts';
import { connect, startServer, testRunner, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

let server: TestServer;
let session: SessionSummary;
let data: ReviewData;
const runner = testRunner();

const historyOf = (d: ReviewData) => new History(d.updates.map((u) => ({ id: u.id, at: u.at, participantId: u.by, bytes: new Uint8Array(Buffer.from(u.bytes, 'base64')) })));

async function asLink(method: string, route: string, link: string | null, body?: unknown) {
  return server.http(method, route, body, link === null ? null : tokenOf(link));
}

async function runAndWait(c: YClient, watcher: YClient): Promise<void> {
  await c.settled();
  const done = watcher.next('run:result', () => true, 60_000);
  const r = await c.socket.timeout(10_000).emitWithAck('run:request');
  expect(r.ok).toBe(true);
  await done;
}

beforeAll(async () => {
  server = await startServer({ runner });
  session = await server.createSession({ candidateName: 'Grace' });
  const mentor = await connect(server.url, session.links.mentor, 'Mia');
  const candidate = await connect(server.url, session.links.candidate);
  const observer = await connect(server.url, session.links.observer, 'Olga');
  expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
  await until(() => candidate.state?.status === 'live' || candidate.events.some((e) => e.event === 'timer:update'), 5000, 'live');

  await candidate.edit((t) => t.insert(0, '// first try\n'));
  await runAndWait(candidate, mentor);
  const paste = await candidate.socket.timeout(5000).emitWithAck('signal:report', { kind: 'paste', chars: 320, lines: 9 });
  expect(paste).toEqual({ ok: true, value: null });
  await candidate.edit((t) => t.insert(t.length, '/* pasted block */\n'.repeat(3)));
  expect((await candidate.socket.timeout(5000).emitWithAck('signal:report', { kind: 'focus', state: 'lost', reason: 'hidden' })).ok).toBe(true);
  await new Promise((r) => setTimeout(r, 30));
  expect((await candidate.socket.timeout(5000).emitWithAck('signal:report', { kind: 'focus', state: 'back', reason: 'hidden' })).ok).toBe(true);
  await mentor.edit((t) => t.insert(0, '// mentor hint\n'));
  expect((await mentor.socket.timeout(5000).emitWithAck('note:add', { text: 'Asked about wrap-around.' })).ok).toBe(true);
  await runAndWait(mentor, mentor);

  // The review is closed while the session runs, even to the review link.
  expect((await asLink('GET', '/api/review', session.links.review)).status).toBe(409);

  const finalDone = mentor.next('run:result', (run: any) => run.kind === 'final', 60_000);
  expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
  await finalDone;

  // Signals and notes went to the mentor only: not one frame to the candidate or the observer names them.
  expect(mentor.events.filter((e) => e.event === 'signal:added').map((e) => (e.args[0] as any).type)).toEqual(['paste', 'focus_lost', 'focus_back']);
  for (const c of [candidate, observer]) {
    expect(c.events.some((e) => e.event === 'signal:added' || e.event === 'note:added')).toBe(false);
    const text = c.frames.filter((f): f is string => typeof f === 'string').join('\n');
    expect(text).not.toMatch(/focus_lost|"paste"|wrap-around/);
  }
  for (const c of [mentor, candidate, observer]) c.close();
  await server.app.sessions.idle();

  const r = await asLink('GET', '/api/review', session.links.review);
  expect(r.status).toBe(200);
  data = r.body as ReviewData;
}, 240_000);

afterAll(async () => {
  await server.close();
  await runner.close();
});

describe('recording and replay', () => {
  it('replays to exactly the code each run graded', async () => {
    const stored = await server.store.listRuns(session.id);
    expect(stored.map((r) => r.kind)).toEqual(['manual', 'manual', 'final']);
    const history = historyOf(data);
    for (const run of stored) {
      expect(run.updateId).not.toBeNull();
      expect(history.seek(history.indexOfId(run.updateId!)).text).toBe(run.source);
    }
    expect(stored[0]!.source).toContain('// first try');
    expect(stored[0]!.source).not.toContain('mentor hint');
    expect(stored[2]!.source).toContain('// mentor hint');
  });

  it('holds the timeline: timer events, joins and leaves, signals with a measured absence, notes, authors', () => {
    const types = data.events.map((e) => e.type);
    for (const t of ['start', 'end', 'join', 'leave', 'paste', 'focus_lost', 'focus_back'] as const) expect(types).toContain(t);
    const paste = data.events.find((e) => e.type === 'paste')!;
    expect(paste.data).toEqual({ chars: 320, lines: 9, flagged: true });
    const back = data.events.find((e) => e.type === 'focus_back')!;
    expect(back.data['awayMs']).toBeGreaterThanOrEqual(20);
    expect(data.notes.map((n) => n.text)).toEqual(['Asked about wrap-around.']);
    const grace = data.participants.find((p) => p.name === 'Grace')!;
    const mia = data.participants.find((p) => p.name === 'Mia')!;
    const last = historyOf(data).seek(1e9);
    const authorOf = (needle: string) => last.spans.find((s) => s.start <= last.text.indexOf(needle) && last.text.indexOf(needle) < s.end)?.author;
    expect(authorOf('// first try')).toBe(grace.id);
    expect(authorOf('// mentor hint')).toBe(mia.id);
    // Reviewers see hidden cases, like mentors.
    expect(data.runs.at(-1)!.cases.some((c) => !c.visible)).toBe(true);
  });

  it('"test this moment" grades the code as it stood then, like the run recorded there', async () => {
    const first = data.runs[0] as ReviewRun;
    const r = await asLink('POST', '/api/review/test', session.links.review, { updateId: first.updateId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ updateId: first.updateId, passed: first.passed, total: first.total });
    expect(r.body.cases.map((c: any) => c.status)).toEqual(first.cases.map((c) => c.status));
  });
});

describe('authorization', () => {
  const routes = [
    ['GET', '/api/review', undefined],
    ['POST', '/api/review/test', { updateId: 1 }],
    ['GET', '/api/review/export', undefined],
    ['PUT', '/api/review/scorecard', { overall: 3, criteria: { correctness: 3, fluency: 2, debugging: null, communication: 4 }, text: 'ok' }],
  ] as const;
  const expected: Record<string, number[]> = {
    // [review, test, export, scorecard]
    mentor: [200, 200, 200, 200],
    review: [200, 200, 200, 403],
    candidate: [403, 403, 403, 403],
    observer: [403, 403, 403, 403],
  };

  it('grants each link exactly its role in the policy', async () => {
    for (const [role, statuses] of Object.entries(expected)) {
      const link = session.links[role as keyof SessionSummary['links']];
      for (const [i, [method, route, body]] of routes.entries()) {
        const r = await asLink(method, route, link, body);
        expect(r.status, `${role} ${method} ${route}: ${JSON.stringify(r.body)}`).toBe(statuses[i]);
      }
    }
  });

  it('refuses missing, malformed and unknown tokens with 401', async () => {
    for (const [method, route, body] of routes) {
      expect((await asLink(method, route, null, body)).status).toBe(401);
      expect((await server.http(method, route, body, 'x'.repeat(43))).status).toBe(401);
      expect((await server.http(method, route, body, 'not a token')).status).toBe(401);
    }
  });

  it('validates the scorecard and keeps it for reviewers to read', async () => {
    const bad = await asLink('PUT', '/api/review/scorecard', session.links.mentor, { overall: 5, criteria: {}, text: '' });
    expect(bad.status).toBe(400);
    const card = { overall: 4, criteria: { correctness: 4, fluency: 3, debugging: 3, communication: null }, text: 'Clear reasoning.' };
    expect((await asLink('PUT', '/api/review/scorecard', session.links.mentor, card)).status).toBe(200);
    const seen = (await asLink('GET', '/api/review', session.links.review)).body as ReviewData;
    expect(seen.scorecard).toMatchObject(card);
    expect(seen.canScore).toBe(false);
    expect(((await asLink('GET', '/api/review', session.links.mentor)).body as ReviewData).canScore).toBe(true);
  });

  it('imports only with the mentor key', async () => {
    const doc = (await asLink('GET', '/api/review/export', session.links.review)).body;
    expect((await server.http('POST', '/api/import', doc, null)).status).toBe(401);
    expect((await server.http('POST', '/api/import', doc, tokenOf(session.links.review))).status).toBe(401);
  });
});

describe('export and import', () => {
  it('round-trips: the imported session replays the same document, runs, notes and signals', async () => {
    const exported = await asLink('GET', '/api/review/export', session.links.review);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.json"/);
    expect(exported.body).toMatchObject({ format: 'c-interview-session', version: 1 });
    const imported = await server.http('POST', '/api/import', exported.body);
    expect(imported.status).toBe(201);
    const copy = imported.body as SessionSummary;
    expect(copy.id).not.toBe(session.id);
    expect(copy.status).toBe('ended');
    const replayed = (await asLink('GET', '/api/review', copy.links.review)).body as ReviewData;
    expect(historyOf(replayed).seek(1e9).text).toBe(historyOf(data).seek(1e9).text);
    expect(replayed.runs.map((r) => [r.kind, r.passed])).toEqual(data.runs.map((r) => [r.kind, r.passed]));
    expect(replayed.events.map((e) => e.type)).toEqual(data.events.map((e) => e.type));
    expect(replayed.notes.map((n) => n.text)).toEqual(data.notes.map((n) => n.text));
    // Runs still point at the right place in the (renumbered) history.
    const h = historyOf(replayed);
    for (const run of await server.store.listRuns(copy.id)) expect(h.seek(h.indexOfId(run.updateId!)).text).toBe(run.source);
  });

  it('refuses malformed documents with an error naming the problem, and stores nothing', async () => {
    const good = (await asLink('GET', '/api/review/export', session.links.review)).body;
    const clone = () => structuredClone(good);
    const withMap = (() => {
      const d = new Y.Doc();
      d.getMap('evil').set('x', 1);
      return Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64');
    })();
    const orphan = (() => {
      // An update that depends on edits the document does not have.
      const a = new Y.Doc();
      a.getText('code').insert(0, 'base');
      const b = new Y.Doc();
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
      let u: Uint8Array | null = null;
      b.once('update', (x: Uint8Array) => (u = x));
      b.getText('code').insert(4, ' more');
      return Buffer.from(u!).toString('base64');
    })();
    const cases: Array<[string, unknown, RegExp]> = [
      ['not an export', { hello: 1 }, /format/],
      ['future version', { ...clone(), version: 2 }, /version 2 is not supported/],
      [
        'missing session',
        (() => {
          const d = clone();
          delete d.session;
          return d;
        })(),
        /session/,
      ],
      [
        'bad base64',
        (() => {
          const d = clone();
          d.updates[1].bytes = '@@@';
          return d;
        })(),
        /updates\.1\.bytes/,
      ],
      [
        'undecodable update',
        (() => {
          const d = clone();
          d.updates[1].bytes = Buffer.from([1, 2, 3, 250]).toString('base64');
          return d;
        })(),
        /updates\.1 is not a valid document update/,
      ],
      [
        'map content',
        (() => {
          const d = clone();
          d.updates[1].bytes = withMap;
          return d;
        })(),
        /updates\.1 is not a valid document update/,
      ],
      [
        'missing dependency',
        (() => {
          const d = clone();
          d.updates = [d.updates[0], { ...d.updates[1], bytes: orphan }];
          d.runs = [];
          return d;
        })(),
        /depend on edits/,
      ],
      [
        'ids out of order',
        (() => {
          const d = clone();
          d.updates[1].id = d.updates[0].id;
          return d;
        })(),
        /updates\.1\.id/,
      ],
      [
        'unknown update in a run',
        (() => {
          const d = clone();
          d.runs[0].updateId = 999_999;
          return d;
        })(),
        /runs\.0\.updateId/,
      ],
      [
        'unknown participant',
        (() => {
          const d = clone();
          d.notes[0].participantId = 'p_nobody';
          return d;
        })(),
        /notes\.0\.participantId/,
      ],
      [
        'two finals',
        (() => {
          const d = clone();
          d.runs[0].kind = 'final';
          return d;
        })(),
        /more than one final/,
      ],
      [
        'exercise not installed',
        (() => {
          const d = clone();
          d.session.exercise.slug = 'no-such-exercise';
          return d;
        })(),
        /not installed/,
      ],
      [
        'rating out of range',
        (() => {
          const d = clone();
          d.scorecard = { overall: 9, criteria: {}, text: '', updatedAt: 1, by: 'x' };
          return d;
        })(),
        /scorecard/,
      ],
    ];
    const before = (await server.store.listSessions()).length;
    for (const [what, body, message] of cases) {
      const r = await server.http('POST', '/api/import', body);
      expect(r.status, what).toBe(400);
      expect(r.body.error.message, what).toMatch(message);
    }
    const notJson = await server.http('POST', '/api/import', '{"format": ');
    expect(notJson.status).toBe(400);
    expect((await server.store.listSessions()).length).toBe(before);
  });
});
