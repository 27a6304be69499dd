import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, migrate } from '../../../server/src/store/sqlite.ts';
import type { SessionRecord, TokenRecord } from '../../../server/src/store/types.ts';
import type { GradeResult } from '../../../common/exercise.ts';

let dir: string;
let store: SqliteStore;
const file = () => path.join(dir, 'db.sqlite');

const session = (id: string, createdAt = 1000): SessionRecord => ({
  id,
  mode: 'interview',
  owner: null,
  exerciseSlug: 'ring-buffer',
  candidateName: 'Ada',
  status: 'waiting',
  createdAt,
  durationMs: 30 * 60_000,
  startedAt: null,
  deadline: null,
  endedAt: null,
  archivedAt: null,
});
const tokens = (id: string): TokenRecord[] =>
  (['mentor', 'candidate', 'observer', 'review'] as const).map((role) => ({ hash: `${id}-${role}`, sessionId: id, role, sealed: 'x' }));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-store-'));
  store = new SqliteStore(file());
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('applies migrations once and records them', async () => {
    await store.close();
    const db = new Database(file());
    expect(migrate(db)).toEqual([]); // already applied by the constructor
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    store = new SqliteStore(file());
  });

  it('creates a session with its tokens and the starter as the first update', async () => {
    await store.createSession(session('s1'), tokens('s1'), new Uint8Array([1, 2, 3]));
    expect(await store.getSession('s1')).toEqual(session('s1'));
    expect(await store.findToken('s1-candidate')).toMatchObject({ sessionId: 's1', role: 'candidate' });
    expect(await store.findToken('nope')).toBeUndefined();
    const updates = await store.listUpdates('s1');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ participantId: null, at: 1000 });
    expect([...updates[0]!.bytes]).toEqual([1, 2, 3]);
  });

  it('refuses a second token for the same role (one token per role per session)', async () => {
    await store.createSession(session('s1'), tokens('s1'), new Uint8Array([0]));
    const dup = [...tokens('s2'), { hash: 'other', sessionId: 's2', role: 'mentor' as const, sealed: 'y' }];
    await expect(store.createSession(session('s2'), dup, new Uint8Array([0]))).rejects.toThrow(/UNIQUE/);
    expect(await store.getSession('s2')).toBeUndefined(); // atomic: nothing half-created
  });

  it('lists sessions newest first and by status; updates the timer with an event atomically', async () => {
    await store.createSession(session('a', 1), tokens('a'), new Uint8Array([0]));
    await store.createSession(session('b', 2), tokens('b'), new Uint8Array([0]));
    expect((await store.listSessions()).map((s) => s.id)).toEqual(['b', 'a']);
    await store.setTimer('a', { status: 'live', durationMs: 5, startedAt: 10, deadline: 15, endedAt: null }, { at: 10, type: 'start', data: { deadline: 15 } });
    expect((await store.listSessions({ status: 'live' })).map((s) => s.id)).toEqual(['a']);
    expect(await store.listEvents('a')).toMatchObject([{ type: 'start', at: 10, data: { deadline: 15 } }]);
  });

  it('group-commits updates issued in the same turn, with increasing ids', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    const p = await store.ensureParticipant({ id: 'p1', sessionId: 's', role: 'candidate', name: 'Ada', firstSeen: 1 });
    const ids = await Promise.all([1, 2, 3].map((n) => store.appendUpdate({ sessionId: 's', at: n, participantId: p.id, bytes: new Uint8Array([n]) })));
    expect(ids[0]! < ids[1]! && ids[1]! < ids[2]!).toBe(true);
    const after = await store.listUpdates('s', ids[0]);
    expect(after.map((u) => [...u.bytes])).toEqual([[2], [3]]);
    expect(after[0]!.participantId).toBe('p1');
  });

  it('flushes queued updates on close', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    const pending = store.appendUpdate({ sessionId: 's', at: 1, participantId: null, bytes: new Uint8Array([9]) });
    await store.close();
    await pending;
    store = new SqliteStore(file());
    expect((await store.listUpdates('s')).length).toBe(2);
  });

  it('keeps participants unique per (session, role, name)', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    const a = await store.ensureParticipant({ id: 'p1', sessionId: 's', role: 'observer', name: 'Bo', firstSeen: 1 });
    const b = await store.ensureParticipant({ id: 'p2', sessionId: 's', role: 'observer', name: 'Bo', firstSeen: 2 });
    expect(b.id).toBe(a.id);
    expect(await store.listParticipants('s')).toHaveLength(1);
  });

  it('stores snapshots, runs and notes', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    await store.saveSnapshot({ sessionId: 's', at: 1, lastUpdateId: 5, bytes: new Uint8Array([5]) });
    await store.saveSnapshot({ sessionId: 's', at: 2, lastUpdateId: 9, bytes: new Uint8Array([9]) });
    expect(await store.latestSnapshot('s')).toMatchObject({ lastUpdateId: 9 });
    const result: GradeResult = { status: 'ok', passed: 1, total: 2, cases: [], diagnostics: [], compilerOutput: '', timings: { compileMs: 1, runMs: 2 } };
    expect(await store.hasFinalRun('s')).toBe(false);
    await store.addRun({ id: 'r1', sessionId: 's', at: 3, requestedAt: 2, kind: 'final', participantId: null, updateId: 1, source: 'int x;', result });
    expect(await store.hasFinalRun('s')).toBe(true);
    expect((await store.listRuns('s'))[0]).toMatchObject({ requestedAt: 2, updateId: 1, source: 'int x;', result });
    // At most one final grading per session, whoever tries to store a second one.
    await expect(store.addRun({ id: 'r2', sessionId: 's', at: 4, requestedAt: 4, kind: 'final', participantId: null, updateId: 1, source: '', result })).rejects.toThrow(/UNIQUE/);
    await store.addNote({ id: 'n1', sessionId: 's', participantId: null, at: 4, text: 'good' });
    expect(await store.listNotes('s')).toMatchObject([{ id: 'n1', text: 'good', at: 4 }]);
  });

  it('answers bounded history queries: updates between ids, the snapshot at or before an id', async () => {
    await store.createSession(session('h'), tokens('h'), new Uint8Array([0]));
    const first = await store.lastUpdateId('h');
    const ids = [first];
    for (let i = 1; i <= 5; i++) ids.push(await store.appendUpdate({ sessionId: 'h', at: i, participantId: null, bytes: new Uint8Array([i]) }));
    expect(await store.lastUpdateId('h')).toBe(ids[5]);
    expect((await store.listUpdates('h', ids[1], ids[3])).map((u) => u.id)).toEqual([ids[2], ids[3]]);
    await store.saveSnapshot({ sessionId: 'h', at: 1, lastUpdateId: ids[2]!, bytes: new Uint8Array([2]) });
    await store.saveSnapshot({ sessionId: 'h', at: 2, lastUpdateId: ids[4]!, bytes: new Uint8Array([4]) });
    expect((await store.snapshotAtOrBefore('h', ids[3]!))?.lastUpdateId).toBe(ids[2]);
    expect((await store.snapshotAtOrBefore('h', ids[4]!))?.lastUpdateId).toBe(ids[4]);
    expect(await store.snapshotAtOrBefore('h', ids[1]!)).toBeUndefined();
  });

  it('keeps a scorecard per session, replaced on save', async () => {
    await store.createSession(session('c'), tokens('c'), new Uint8Array([0]));
    const criteria = { correctness: 3, fluency: 4, debugging: null, communication: 2 };
    await store.setScorecard({ sessionId: 'c', overall: 3, criteria, text: 'solid', updatedAt: 1, by: 'Mentor' });
    await store.setScorecard({ sessionId: 'c', overall: 4, criteria, text: 'better', updatedAt: 2, by: 'Mentor' });
    expect(await store.getScorecard('c')).toEqual({ sessionId: 'c', overall: 4, criteria, text: 'better', updatedAt: 2, by: 'Mentor' });
    expect(await store.getScorecard('nope')).toBeUndefined();
  });

  it('archives and unarchives a session; lists archived or current ones', async () => {
    await store.createSession(session('x', 1), tokens('x'), new Uint8Array([0]));
    await store.createSession(session('y', 2), tokens('y'), new Uint8Array([0]));
    expect(await store.setArchived('x', 500)).toBe(true);
    expect((await store.getSession('x'))?.archivedAt).toBe(500);
    expect((await store.listSessions({ archived: false })).map((s) => s.id)).toEqual(['y']);
    expect((await store.listSessions({ archived: true })).map((s) => s.id)).toEqual(['x']);
    expect(await store.listSessions()).toHaveLength(2);
    expect(await store.setArchived('x', null)).toBe(true);
    expect((await store.listSessions({ archived: false })).map((s) => s.id)).toEqual(['y', 'x']);
    expect(await store.setArchived('nope', 1)).toBe(false);
  });
});
