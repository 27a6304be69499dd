// The comparison board's routes over a real server: who may call them, validation, a row per
// interview in any state, similar pairs of ended ones only, sorting and filtering (dates, status,
// interviewer), the CSV round trip, the compare view.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARD_COLUMNS, parseCsv, type BoardComparison, type BoardData } from '../../common/board.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import { SIMILARITY_THRESHOLD } from '../../server/src/similarity/index.ts';
import { seedInterview } from '../support/board-seed.ts';
import { session, tokens } from '../support/store-fixtures.ts';
import { exercises, startServer, type TestServer } from './helpers.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/similarity/ring-buffer');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const DAY = 86_400_000;
const T = Date.parse('2026-11-02T09:00:00Z');

let server: TestServer;
let ring: Exercise;

beforeAll(async () => {
  server = await startServer();
  const catalog = await exercises();
  ring = catalog.get('ring-buffer')!;
  const other = catalog.list().find((e) => e.slug !== 'ring-buffer')!;
  await seedInterview(server.store, ring, { id: 'ada', candidate: 'Ada', source: ring.solution, startedAt: T, overall: 4, interviewer: 'Grace' });
  await seedInterview(server.store, ring, {
    id: 'bob',
    candidate: 'Bob "Bobby", Jr.\nthe second',
    source: fixture('copy-of-reference.c'),
    startedAt: T + DAY,
    overall: 2,
    failing: [0],
    pastes: 2,
  });
  await seedInterview(server.store, ring, { id: 'cy', candidate: 'Cy', source: fixture('indep-shift.c'), startedAt: T + 2 * DAY, overall: null, archived: true });
  await seedInterview(server.store, other, { id: 'dee', candidate: 'Dee', source: other.solution, startedAt: T });
  // A live and a waiting interview are on the board (never compared); a practice attempt is not.
  await server.store.createSession(
    session('live', T, { exerciseSlug: 'ring-buffer', candidateName: 'Liv', status: 'live', startedAt: T + 3 * DAY, deadline: Date.now() + DAY }),
    tokens('live'),
    new Uint8Array([0]),
  );
  await server.store.ensureParticipant({ id: 'live-m', sessionId: 'live', role: 'mentor', name: 'Linus', firstSeen: T + 3 * DAY });
  await server.store.createSession(session('wait', T + 4 * DAY, { exerciseSlug: 'ring-buffer', candidateName: 'Wes', status: 'waiting' }), tokens('wait'), new Uint8Array([0]));
  await server.store.createSession(
    session('prac', T, { exerciseSlug: 'ring-buffer', mode: 'practice', owner: 'x'.repeat(64), status: 'ended', startedAt: T, endedAt: T + 1 }),
    tokens('prac'),
    new Uint8Array([0]),
  );
});
afterAll(async () => {
  await server?.close();
});

const board = async (query: string) => {
  const r = await server.http('GET', `/api/board?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as BoardData;
};

describe('GET /api/board', () => {
  it('needs the mentor key', async () => {
    for (const key of [null, 'wrong-key']) {
      expect((await server.http('GET', '/api/board?exercise=ring-buffer', undefined, key)).status).toBe(401);
      expect((await server.http('GET', '/api/board/compare?a=ada&b=bob', undefined, key)).status).toBe(401);
    }
  });

  it('validates its query', async () => {
    for (const q of [
      '',
      'exercise=',
      'exercise=../x',
      'exercise=ring-buffer&status=over',
      'exercise=ring-buffer&archived=true',
      'exercise=ring-buffer&interviewer=',
      'exercise=ring-buffer&status=live&status=ended',
      'exercise=ring-buffer&sort=nope',
      'exercise=ring-buffer&order=up',
      'exercise=ring-buffer&from=2026-13-45',
      'exercise=ring-buffer&extra=1',
      'exercise=ring-buffer&exercise=lru-cache',
      'exercise=ring-buffer&sessions=',
      'exercise=ring-buffer&sessions=ada,,bob',
      'exercise=ring-buffer&sessions=../x',
    ]) {
      expect((await server.http('GET', `/api/board?${q}`)).status, q).toBe(400);
    }
    expect((await server.http('GET', '/api/board?exercise=no-such')).status).toBe(404);
    for (const q of ['a=ada', 'a=ada&b=ada', 'a=ada&b=b%20b']) expect((await server.http('GET', `/api/board/compare?${q}`)).status, q).toBe(400);
    expect((await server.http('GET', '/api/board/compare?a=ada&b=dee')).status).toBe(400); // other exercise
    for (const q of ['a=ada&b=live', 'a=ada&b=wait', 'a=ada&b=prac', 'a=ada&b=nobody']) expect((await server.http('GET', `/api/board/compare?${q}`)).status, q).toBe(404);
  });

  it('has one row per interview of the exercise in any state, newest first, and the similar pair', async () => {
    const data = await board('exercise=ring-buffer');
    expect(data.threshold).toBe(SIMILARITY_THRESHOLD);
    expect(data.rows.map((r) => r.sessionId)).toEqual(['wait', 'live', 'cy', 'bob', 'ada']);
    expect(data.rows.map((r) => [r.status, r.ended])).toEqual([
      ['waiting', false],
      ['live', false],
      ['archived', true],
      ['ended', true],
      ['ended', true],
    ]);
    expect(data.rows[1]).toMatchObject({ candidate: 'Liv', interviewers: ['Linus'], visiblePassed: null, hiddenPassed: null, timeUsedMs: null, overall: null });
    expect(data.interviewers).toEqual(['Grace', 'Linus']);
    const visible = ring.cases.filter((c) => c.visible).length;
    const hidden = ring.cases.length - visible;
    expect(data.rows[4]).toMatchObject({
      candidate: 'Ada',
      interviewers: ['Grace'],
      date: T,
      visiblePassed: visible,
      visibleTotal: visible,
      hiddenPassed: hidden,
      hiddenTotal: hidden,
      firstVisiblePassMs: 12 * 60_000, // the 9-minute run crashed on a visible case
      timeUsedMs: 25 * 60_000,
      runs: 3,
      compileErrors: 1,
      faults: 1,
      focusLost: 1,
      awayMs: 60_000,
      overall: 4,
      criteria: { correctness: 4, fluency: 3, debugging: null, communication: 2 },
    });
    expect(data.rows[3]).toMatchObject({ visiblePassed: visible - 1, firstVisiblePassMs: null, pastes: 2, flaggedPastes: 2 });
    expect(data.similar).toHaveLength(1);
    expect(data.similar[0]).toMatchObject({ a: expect.any(String), b: expect.any(String) });
    expect([data.similar[0]!.a, data.similar[0]!.b].sort()).toEqual(['ada', 'bob']);
    expect(data.similar[0]!.score).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    // The fingerprints missing from the store (these were seeded without a grading) are stored now.
    expect((await server.store.listFingerprints('ring-buffer')).map((f) => f.sessionId).sort()).toEqual(['ada', 'bob', 'cy']);
  });

  it('sorts by any column and filters by date, status and interviewer', async () => {
    const ids = async (q: string) => (await board(`exercise=ring-buffer&${q}`)).rows.map((r) => r.sessionId);
    expect(await ids('sort=candidate')).toEqual(['ada', 'bob', 'cy', 'live', 'wait']); // Ada, Bob, Cy, Liv, Wes
    expect(await ids('sort=overall&order=desc')).toEqual(['ada', 'bob', 'cy', 'live', 'wait']); // nulls last
    expect((await ids('sort=pastes&order=desc'))[0]).toBe('bob');
    expect(await ids('sort=status')).toEqual(['cy', 'ada', 'bob', 'live', 'wait']); // archived, ended, live, waiting
    for (const column of BOARD_COLUMNS) expect((await board(`exercise=ring-buffer&sort=${column}`)).rows).toHaveLength(5);
    expect(await ids('from=2026-11-03&to=2026-11-03')).toEqual(['bob']);
    expect(await ids('status=all')).toEqual(['wait', 'live', 'cy', 'bob', 'ada']);
    expect(await ids('status=waiting')).toEqual(['wait']);
    expect(await ids('status=live')).toEqual(['live']);
    expect(await ids('status=ended')).toEqual(['bob', 'ada']);
    const archived = await board('exercise=ring-buffer&status=archived');
    expect(archived.rows.map((r) => r.sessionId)).toEqual(['cy']);
    expect(archived.similar).toEqual([]); // a pair is shown only when both rows are
    expect(archived.interviewers).toEqual(['Grace', 'Linus']); // the filter's choices do not shrink with it
    expect(await ids('interviewer=Linus')).toEqual(['live']);
    expect(await ids('interviewer=Grace&status=ended')).toEqual(['bob', 'ada']);
    expect(await ids('interviewer=Nobody')).toEqual([]);
    // The interviews picked on the dashboard, and only those (unknown ids simply match nothing).
    expect(await ids('sessions=ada,cy')).toEqual(['cy', 'ada']);
    expect(await ids('sessions=ada,cy&status=ended')).toEqual(['ada']);
    expect(await ids('sessions=nobody')).toEqual([]);
    const picked = await board('exercise=ring-buffer&sessions=ada,bob');
    expect(picked.similar.map((p) => [p.a, p.b].sort())).toEqual([['ada', 'bob']]); // both shown: the pair stays
  });

  it('exports the rows as RFC 4180 CSV that parses back to the same values', async () => {
    const r = await server.http('GET', '/api/board?exercise=ring-buffer&format=csv&sort=candidate');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = r.body as string;
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...BOARD_COLUMNS]);
    const json = (await board('exercise=ring-buffer&sort=candidate')).rows;
    expect(rows).toHaveLength(json.length);
    expect(rows.map((row) => row[0])).toEqual(json.map((row) => row.candidate)); // quotes, comma and newline survive
    expect(rows[0]![BOARD_COLUMNS.indexOf('date')]).toBe('2026-11-02T09:00:00.000Z');
    expect(rows[0]![BOARD_COLUMNS.indexOf('overall')]).toBe('4');
    expect(rows[0]![BOARD_COLUMNS.indexOf('status')]).toBe('ended');
    expect(rows[2]![BOARD_COLUMNS.indexOf('overall')]).toBe('');
    expect(rows[2]![BOARD_COLUMNS.indexOf('status')]).toBe('archived');
  });

  it('compares two interviews: final code, rows and matching regions', async () => {
    const r = await server.http('GET', '/api/board/compare?a=ada&b=bob');
    expect(r.status).toBe(200);
    const c = r.body as BoardComparison;
    expect(c.a.source).toBe(ring.solution);
    expect(c.b.source).toBe(fixture('copy-of-reference.c'));
    expect(c.a.row.candidate).toBe('Ada');
    expect(c.score).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
    expect(c.regions.length).toBeGreaterThan(0);
    const far = (await server.http('GET', '/api/board/compare?a=ada&b=cy')).body as BoardComparison;
    expect(far.score).toBeLessThan(SIMILARITY_THRESHOLD);
  });
});
