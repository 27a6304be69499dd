// POST /api/import over a real server, with synthetic exports (no runner): the same field rules as
// when a session is created, a clear 400 for a document the store would refuse, and a server that
// keeps answering while a large import is checked and written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import type { ReviewData } from '../../common/review.ts';
import type { SessionExport } from '../../server/src/review/export-schema.ts';
import { bulkExport, syntheticExport } from '../support/synthetic-export.ts';
import { materializeText } from '../../server/src/history/index.ts';
import { storedTextAt } from '../../server/src/history/stored.ts';
import { startServer, tokenOf, type TestServer } from './helpers.ts';

let server: TestServer;
const failures: string[] = [];

beforeAll(async () => {
  server = await startServer({ log: (msg, err) => failures.push(`${msg} ${err instanceof Error ? err.stack : String(err ?? '')}`) });
});
afterAll(async () => {
  await server.close();
});

const small = (): SessionExport => syntheticExport(40, 3);

async function refused(doc: unknown, message: RegExp): Promise<void> {
  const before = (await server.store.listSessions()).length;
  const r = await server.http('POST', '/api/import', doc);
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error.message).toMatch(message);
  expect((await server.store.listSessions()).length).toBe(before);
}

describe('import', () => {
  it('takes a good export', async () => {
    const r = await server.http('POST', '/api/import', small());
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((r.body as SessionSummary).candidateName).toBe('Bench Candidate');
  });

  it('says so when the same export is imported twice, and marks imported sessions with their source and date', async () => {
    const doc = syntheticExport(30, 4);
    doc.session.candidateName = 'Twice Imported';
    doc.exportedFrom = 'https://old.example.org';
    doc.scorecard = { overall: 3, criteria: { correctness: 3, fluency: 2, debugging: null, communication: 4 }, text: 'fine', updatedAt: doc.session.endedAt, by: 'Bench Mentor' };
    const first = await server.http('POST', '/api/import?file=twice.json', doc);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const s = first.body as SessionSummary;
    expect(s.imported).toEqual({ importedAt: expect.any(Number), source: 'https://old.example.org', exportedAt: doc.exportedAt });
    // The dashboard's outcome columns: the final grading by visible and hidden cases, the overall rating.
    const final = doc.runs.find((r) => r.kind === 'final')!.result.cases;
    const passed = (visible: boolean) => final.filter((c) => c.visible === visible && c.status === 'pass').length;
    expect(s.score).toEqual({ status: 'ok', visiblePassed: passed(true), visibleTotal: 4, hiddenPassed: passed(false), hiddenTotal: 4 });
    expect(s.scorecardOverall).toBe(3);

    const before = (await server.store.listSessions()).length;
    const again = await server.http('POST', '/api/import?file=twice.json', doc);
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.error).toEqual({
      code: 'conflict',
      message: expect.stringMatching(/already imported on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Twice Imported, Ring buffer\).*Nothing was added/),
    });
    // The same session exported again later (another time, another address) is the same content.
    const reexported = await server.http('POST', '/api/import', { ...doc, exportedAt: doc.exportedAt + 60_000, exportedFrom: 'https://elsewhere.example' });
    expect(reexported.status).toBe(409);
    expect((await server.store.listSessions()).length).toBe(before);
    // Without a server address in the export, the file's name is the source; a recorded session has none.
    const other = { ...doc, exportedFrom: undefined, session: { ...doc.session, candidateName: 'From A File' } };
    const fromFile = await server.http('POST', '/api/import?file=ada%20(1).json', other);
    expect(fromFile.status, JSON.stringify(fromFile.body)).toBe(201);
    expect((fromFile.body as SessionSummary).imported?.source).toBe('ada (1).json');
    expect((await server.createSession()).imported).toBeNull();
    expect((await server.http('POST', `/api/import?file=${'x'.repeat(201)}`, other)).status).toBe(400);
  });

  it('refuses the same role and name under two participant ids with a 400 naming them', async () => {
    const doc = small();
    doc.participants.push({ id: 'p_c', role: 'mentor', name: 'Bench Mentor', firstSeen: doc.participants[1]!.firstSeen });
    await refused(doc, /participants\.2 .*same role and name as participants\.1/);
    expect(failures).toEqual([]);
  });

  it('applies the name rules of a new session: length, and no control or bidi characters', async () => {
    const long = small();
    long.session.candidateName = `\u202E${'x'.repeat(319)}`;
    await refused(long, /session\.candidateName: The candidate name must be at most 80 characters \(it has 320\)/);
    const blank = small();
    blank.session.candidateName = '\u202E\u0007 ';
    await refused(blank, /session\.candidateName: The candidate name is empty/);
    const longParticipant = small();
    longParticipant.participants[1]!.name = 'M'.repeat(81);
    await refused(longParticipant, /participants\.1\.name: .*at most 80 characters/);
    const longAuthor = small();
    longAuthor.scorecard = { overall: 3, criteria: { correctness: 3, fluency: 3, debugging: 3, communication: 3 }, text: '', updatedAt: 1, by: 'S'.repeat(81) };
    await refused(longAuthor, /scorecard\.by: .*at most 80 characters/);
    // Names that are the same once cleaned are the same name.
    const twins = small();
    twins.participants.push({ id: 'p_c', role: 'mentor', name: 'Bench\u202E Mentor', firstSeen: 1 });
    await refused(twins, /same role and name/);

    const bidi = small();
    bidi.session.candidateName = 'Ada\u202E evil\u0000';
    bidi.participants[1]!.name = '  Grace\u2066 Hopper ';
    const r = await server.http('POST', '/api/import', bidi);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const s = r.body as SessionSummary;
    expect(s.candidateName).toBe('Ada evil');
    const data = (await server.http('GET', '/api/review', undefined, tokenOf(s.links.review))).body as ReviewData;
    expect(data.participants.map((p) => p.name).sort()).toEqual(['Bench Candidate', 'Grace Hopper']);
  });

  it('keeps answering while a large import is checked and written, and snapshots it for quick seeks', async () => {
    const doc = bulkExport(60_000, 110);
    const body = JSON.stringify(doc);
    let importing = true;
    const answeredDuring: number[] = [];
    const health = (async () => {
      while (importing) {
        const r = await fetch(`${server.url}/api/health`);
        expect(r.status).toBe(200);
        await r.arrayBuffer();
        if (importing) answeredDuring.push(Date.now());
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const r = await fetch(`${server.url}/api/import`, { method: 'POST', headers: { authorization: `Bearer ${server.keys.mentorKey}`, 'content-type': 'application/json' }, body });
    importing = false;
    await health;
    expect(r.status, await r.clone().text()).toBe(201);
    // Before, the import ran in one turn of the event loop once its body was in: 3 answers (while
    // the body was uploading) against over a hundred now, one every 10 ms or so.
    expect(answeredDuring.length).toBeGreaterThan(30);
    const id = ((await r.json()) as SessionSummary).id;
    const updates = await server.store.listUpdates(id);
    expect(updates).toHaveLength(60_000);
    // A snapshot every SNAPSHOT_EVERY updates, each exactly the document after the update it names.
    const every = 500;
    const last = await server.store.latestSnapshot(id);
    expect(last?.lastUpdateId).toBe(updates[60_000 - 1]!.id);
    for (const i of [every - 1, 30 * every - 1, 30 * every + 7, 60_000 - 2]) {
      const snap = await server.store.snapshotAtOrBefore(id, updates[i]!.id);
      expect(snap!.lastUpdateId).toBe(updates[Math.floor((i + 1) / every) * every - 1]!.id);
      expect(await storedTextAt(server.store, id, updates[i]!.id)).toBe(materializeText(undefined, updates.slice(0, i + 1)));
    }
  }, 120_000);
});
