// The Store contract: what every implementation (SQLite, PostgreSQL, in memory) must do, as one
// suite that each store's test file registers with its own factory.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../server/src/store/types.ts';
import { registerImportTests, registerSeveralWriterTests, type StoreFactory } from './store-contract-atomic.ts';
import { registerAccountTests } from './store-contract-accounts.ts';
import { registerFingerprintTests } from './store-contract-fingerprints.ts';
import { registerReferenceOutputTests } from './store-contract-references.ts';
import { live, run, session, start, tokens, waiting } from './store-fixtures.ts';

export type { StoreFactory } from './store-contract-atomic.ts';
export { session, tokens } from './store-fixtures.ts';

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`${name}: the Store contract`, () => {
    let store: Store;
    const opened: Store[] = [];
    const track = (s: Store) => (opened.push(s), s);

    beforeEach(async () => {
      store = track(await factory.create());
    });
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
    });

    it('creates a session with its tokens and the starter as the first update', async () => {
      await store.createSession(session('s1'), tokens('s1'), new Uint8Array([1, 2, 3]));
      expect(await store.getSession('s1')).toEqual(session('s1'));
      expect(await store.getSession('nope')).toBeUndefined();
      expect(await store.findToken('s1-candidate')).toEqual({ hash: 's1-candidate', sessionId: 's1', role: 'candidate', sealed: 'sealed-candidate' });
      expect(await store.findToken('nope')).toBeUndefined();
      expect((await store.listTokens('s1')).map((t) => t.role).sort()).toEqual(['candidate', 'mentor', 'observer', 'review']);
      const updates = await store.listUpdates('s1');
      expect(updates).toHaveLength(1);
      expect(updates[0]).toMatchObject({ sessionId: 's1', participantId: null, at: 1000 });
      expect([...updates[0]!.bytes]).toEqual([1, 2, 3]);
    });

    it('refuses a second token for the same role, creating nothing of that session', async () => {
      await store.createSession(session('s1'), tokens('s1'), new Uint8Array([0]));
      const dup = [...tokens('s2'), { hash: 'other', sessionId: 's2', role: 'mentor' as const, sealed: 'y' }];
      await expect(store.createSession(session('s2'), dup, new Uint8Array([0]))).rejects.toThrow(/unique/i);
      expect(await store.getSession('s2')).toBeUndefined();
      expect(await store.findToken('s2-mentor')).toBeUndefined();
      expect(await store.listUpdates('s2')).toEqual([]);
      // A session id is taken once.
      await expect(store.createSession(session('s1'), tokens('s1b'), new Uint8Array([0]))).rejects.toThrow(/unique|duplicate/i);
    });

    it('keeps millisecond timestamps and binary updates exactly (BIGINT and BYTEA round trips)', async () => {
      const at = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
      await store.createSession(session('t', at, { durationMs: 180 * 60_000 }), tokens('t'), new Uint8Array(0));
      const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
      const id = await store.appendUpdate({ sessionId: 't', at: at + 1, participantId: null, bytes });
      expect(typeof id).toBe('number');
      const back = await store.getSession('t');
      expect(back?.createdAt).toBe(at);
      expect(typeof back?.durationMs).toBe('number');
      const [starter, update] = await store.listUpdates('t');
      expect(starter!.bytes).toEqual(new Uint8Array(0));
      expect(update!.bytes).toBeInstanceOf(Uint8Array);
      expect(update!.bytes).toEqual(bytes);
      expect(update!.at).toBe(at + 1);
    });

    it('lists sessions newest first, filtered by status, mode, owner, creation time and archive', async () => {
      await store.createSession(session('a', 1), tokens('a'), new Uint8Array([0]));
      await store.createSession(session('b', 2, { mode: 'practice', owner: 'o1' }), tokens('b'), new Uint8Array([0]));
      await store.createSession(session('c', 3, { mode: 'practice', owner: 'o2', status: 'ended' }), tokens('c'), new Uint8Array([0]));
      const ids = async (f?: Parameters<Store['listSessions']>[0]) => (await store.listSessions(f)).map((s) => s.id);
      expect(await ids()).toEqual(['c', 'b', 'a']);
      expect(await ids({ status: 'waiting' })).toEqual(['b', 'a']);
      expect(await ids({ mode: 'practice' })).toEqual(['c', 'b']);
      expect(await ids({ owner: 'o1' })).toEqual(['b']);
      expect(await ids({ owner: null })).toEqual(['a']);
      expect(await ids({ createdBefore: 3 })).toEqual(['b', 'a']);
      expect(await ids({ mode: 'practice', status: 'ended', owner: 'o2', createdBefore: 4 })).toEqual(['c']);
      // Created in the same millisecond: by id, in byte order (upper case first).
      await store.createSession(session('e', 9), tokens('e'), new Uint8Array([0]));
      await store.createSession(session('D', 9), tokens('D'), new Uint8Array([0]));
      expect((await ids()).slice(0, 2)).toEqual(['D', 'e']);
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

    it('moves the timer only from the state it is given, recording the event with it', async () => {
      await store.createSession(session('a'), tokens('a'), new Uint8Array([0]));
      expect(await store.setTimer('a', waiting, live, start)).toBe(true);
      expect(await store.getSession('a')).toMatchObject(live);
      expect((await store.listSessions({ status: 'live' })).map((s) => s.id)).toEqual(['a']);
      // A stale precondition (someone else started it meanwhile) changes nothing and records nothing.
      const later = { ...live, startedAt: 20, deadline: 20 + live.durationMs };
      expect(await store.setTimer('a', waiting, later, { ...start, at: 20 })).toBe(false);
      const added = { ...live, durationMs: live.durationMs + 300_000, deadline: live.deadline! + 300_000 };
      expect(await store.setTimer('a', { ...live, deadline: live.deadline! + 1 }, added, { at: 30, type: 'add', data: { minutes: 5 } })).toBe(false);
      expect(await store.getSession('a')).toMatchObject(live);
      expect(await store.setTimer('a', live, added, { at: 30, type: 'add', data: { minutes: 5 } })).toBe(true);
      const ended = { ...added, status: 'ended' as const, endedAt: 40 };
      expect(await store.setTimer('a', added, ended, { at: 40, type: 'end', data: {} })).toBe(true);
      expect(await store.getSession('a')).toMatchObject(ended);
      expect(await store.listEvents('a')).toMatchObject([
        { sessionId: 'a', type: 'start', at: 10, data: { deadline: live.deadline } },
        { type: 'add', at: 30, data: { minutes: 5 } },
        { type: 'end', at: 40 },
      ]);
      expect(await store.setTimer('nope', waiting, live, start)).toBe(false);
    });

    it('records events in order, with the participant they are about', async () => {
      await store.createSession(session('e'), tokens('e'), new Uint8Array([0]));
      const p = await store.ensureParticipant({ id: 'p1', sessionId: 'e', role: 'candidate', name: 'Ada', firstSeen: 1 });
      await store.addEvent('e', { at: 5, type: 'join', participantId: p.id, data: { role: 'candidate' } });
      await store.addEvent('e', { at: 3, type: 'warning', data: { minutesLeft: 5 } });
      const events = await store.listEvents('e');
      expect(events.map((e) => [e.type, e.at, e.participantId ?? null])).toEqual([
        ['join', 5, 'p1'],
        ['warning', 3, null],
      ]);
      expect(events[0]!.id).toBeLessThan(events[1]!.id);
      expect(events[0]!.data).toEqual({ role: 'candidate' });
    });

    it("finds a session's latest event of one type", async () => {
      for (const id of ['l', 'other']) await store.createSession(session(id), tokens(id), new Uint8Array([0]));
      expect(await store.lastEvent('l', 'console')).toBeUndefined();
      await store.addEvent('l', { at: 9, type: 'console', data: { runId: 'first' } });
      await store.addEvent('l', { at: 5, type: 'console', data: { runId: 'second' } }); // later, though its clock says earlier
      await store.addEvent('l', { at: 10, type: 'warning', data: {} });
      await store.addEvent('other', { at: 11, type: 'console', data: { runId: 'elsewhere' } });
      expect(await store.lastEvent('l', 'console')).toMatchObject({ sessionId: 'l', type: 'console', at: 5, data: { runId: 'second' } });
      expect(await store.lastEvent('l', 'paste')).toBeUndefined();
    });

    it('group-committed updates issued in one turn get increasing ids, in call order', async () => {
      await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
      const p = await store.ensureParticipant({ id: 'p1', sessionId: 's', role: 'candidate', name: 'Ada', firstSeen: 1 });
      const ids = await Promise.all([1, 2, 3, 4].map((n) => store.appendUpdate({ sessionId: 's', at: n, participantId: p.id, bytes: new Uint8Array([n]) })));
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(4);
      const after = await store.listUpdates('s', ids[0]);
      expect(after.map((u) => [...u.bytes])).toEqual([[2], [3], [4]]);
      expect(after.map((u) => u.id)).toEqual(ids.slice(1));
      expect(after[0]!.participantId).toBe('p1');
      expect(await store.lastUpdateId('s')).toBe(ids[3]);
      expect(await store.lastUpdateId('nope')).toBe(0);
    });

    it('an update refused in a group commit (its session is gone) does not fail the others of that turn', async () => {
      await store.createSession(session('ok'), tokens('ok'), new Uint8Array([0]));
      const [good, bad, alsoGood] = await Promise.allSettled([
        store.appendUpdate({ sessionId: 'ok', at: 1, participantId: null, bytes: new Uint8Array([1]) }),
        store.appendUpdate({ sessionId: 'gone', at: 1, participantId: null, bytes: new Uint8Array([2]) }),
        store.appendUpdate({ sessionId: 'ok', at: 2, participantId: null, bytes: new Uint8Array([3]) }),
      ]);
      expect(bad!.status).toBe('rejected');
      expect(good!.status).toBe('fulfilled');
      expect(alsoGood!.status).toBe('fulfilled');
      expect((await store.listUpdates('ok')).map((u) => [...u.bytes])).toEqual([[0], [1], [3]]);
    });

    it('answers bounded history queries: updates between ids, the snapshot at or before an id', async () => {
      await store.createSession(session('h'), tokens('h'), new Uint8Array([0]));
      const ids = [await store.lastUpdateId('h')];
      for (let i = 1; i <= 5; i++) ids.push(await store.appendUpdate({ sessionId: 'h', at: i, participantId: null, bytes: new Uint8Array([i]) }));
      expect(await store.lastUpdateId('h')).toBe(ids[5]);
      expect((await store.listUpdates('h', ids[1], ids[3])).map((u) => u.id)).toEqual([ids[2], ids[3]]);
      expect(await store.latestSnapshot('h')).toBeUndefined();
      await store.saveSnapshot({ sessionId: 'h', at: 1, lastUpdateId: ids[2]!, bytes: new Uint8Array([2]) });
      await store.saveSnapshot({ sessionId: 'h', at: 2, lastUpdateId: ids[4]!, bytes: new Uint8Array([4]) });
      expect(await store.latestSnapshot('h')).toEqual({ sessionId: 'h', at: 2, lastUpdateId: ids[4], bytes: new Uint8Array([4]) });
      expect((await store.snapshotAtOrBefore('h', ids[3]!))?.lastUpdateId).toBe(ids[2]);
      expect((await store.snapshotAtOrBefore('h', ids[4]!))?.lastUpdateId).toBe(ids[4]);
      expect(await store.snapshotAtOrBefore('h', ids[1]!)).toBeUndefined();
      // Of two snapshots at the same update, the later one wins.
      await store.saveSnapshot({ sessionId: 'h', at: 3, lastUpdateId: ids[4]!, bytes: new Uint8Array([44]) });
      expect((await store.latestSnapshot('h'))?.bytes).toEqual(new Uint8Array([44]));
    });

    it('keeps participants unique per (session, role, name)', async () => {
      await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
      const a = await store.ensureParticipant({ id: 'p1', sessionId: 's', role: 'observer', name: 'Bo', firstSeen: 1 });
      const b = await store.ensureParticipant({ id: 'p2', sessionId: 's', role: 'observer', name: 'Bo', firstSeen: 2 });
      expect(b).toEqual(a);
      await store.ensureParticipant({ id: 'p3', sessionId: 's', role: 'mentor', name: 'Bo', firstSeen: 0 });
      expect((await store.listParticipants('s')).map((p) => p.id)).toEqual(['p3', 'p1']);
    });

    it('stores runs and notes oldest first; at most one final run per session', async () => {
      await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
      await store.createSession(session('t'), tokens('t'), new Uint8Array([0]));
      await store.addRun(run('r2', 's', 5));
      await store.addRun(run('r1', 's', 3));
      await store.addRun(run('r0', 's', 5)); // same millisecond: insertion order, not id order
      expect((await store.listRuns('s')).map((r) => r.id)).toEqual(['r1', 'r2', 'r0']);
      expect(await store.hasFinalRun('s')).toBe(false);
      const final = { ...run('f1', 's', 9, 'final'), updateId: 1, participantId: null };
      await store.addRun(final);
      expect(await store.hasFinalRun('s')).toBe(true);
      expect(await store.hasFinalRun('t')).toBe(false);
      expect((await store.listRuns('s'))[3]).toEqual(final);
      await expect(store.addRun(run('f2', 's', 10, 'final'))).rejects.toThrow(/unique/i);
      await store.addRun(run('f3', 't', 10, 'final')); // another session's final is its own
      expect((await store.listRuns('s')).map((r) => r.id)).toEqual(['r1', 'r2', 'r0', 'f1']);

      await store.addNote({ id: 'n2', sessionId: 's', participantId: null, at: 4, text: 'second' });
      await store.addNote({ id: 'n1', sessionId: 's', participantId: null, at: 2, text: 'first' });
      await store.addNote({ id: 'n0', sessionId: 's', participantId: null, at: 4, text: 'third' });
      expect(await store.listNotes('s')).toEqual([
        { id: 'n1', sessionId: 's', participantId: null, at: 2, text: 'first' },
        { id: 'n2', sessionId: 's', participantId: null, at: 4, text: 'second' },
        { id: 'n0', sessionId: 's', participantId: null, at: 4, text: 'third' },
      ]);
    });

    it('keeps a scorecard per session, replaced on save', async () => {
      await store.createSession(session('c'), tokens('c'), new Uint8Array([0]));
      const criteria = { correctness: 3, fluency: 4, debugging: null, communication: 2 };
      await store.setScorecard({ sessionId: 'c', overall: 3, criteria, text: 'solid', updatedAt: 1, by: 'Mentor' });
      await store.setScorecard({ sessionId: 'c', overall: 4, criteria, text: 'better', updatedAt: 2, by: 'Mentor' });
      expect(await store.getScorecard('c')).toEqual({ sessionId: 'c', overall: 4, criteria, text: 'better', updatedAt: 2, by: 'Mentor' });
      expect(await store.getScorecard('nope')).toBeUndefined();
    });

    it('counts practice starts since a time, and keeps them when the attempt is deleted', async () => {
      await store.addPracticeStart('o1', 100);
      await store.addPracticeStart('o1', 200);
      await store.addPracticeStart('o2', 300);
      expect(await store.countPracticeStarts('o1', 0)).toBe(2);
      expect(await store.countPracticeStarts('o1', 200)).toBe(1);
      expect(await store.countPracticeStarts('o1', 201)).toBe(0);
      expect(await store.countPracticeStarts('o3', 0)).toBe(0);
      await store.createSession(session('p', 100, { mode: 'practice', owner: 'o1' }), tokens('p'), new Uint8Array([0]));
      await store.deleteSession('p');
      expect(await store.countPracticeStarts('o1', 0)).toBe(2);
    });

    it('deletes a session with everything recorded in it, and nothing else', async () => {
      for (const id of ['d', 'k']) {
        await store.createSession(session(id), tokens(id), new Uint8Array([0]));
        const p = await store.ensureParticipant({ id: `${id}-p`, sessionId: id, role: 'candidate', name: 'Ada', firstSeen: 1 });
        const u = await store.appendUpdate({ sessionId: id, at: 2, participantId: p.id, bytes: new Uint8Array([1]) });
        await store.saveSnapshot({ sessionId: id, at: 3, lastUpdateId: u, bytes: new Uint8Array([1]) });
        await store.addRun({ ...run(`${id}-r`, id, 4, 'final'), participantId: null, updateId: u });
        await store.addEvent(id, { at: 5, type: 'join', participantId: p.id, data: {} });
        await store.addNote({ id: `${id}-n`, sessionId: id, participantId: p.id, at: 6, text: 'x' });
        await store.setScorecard({ sessionId: id, overall: 2, criteria: { correctness: 2, fluency: null, debugging: null, communication: null }, text: '', updatedAt: 7, by: 'M' });
      }
      expect(await store.deleteSession('d')).toBe(true);
      expect(await store.getSession('d')).toBeUndefined();
      expect(await store.findToken('d-mentor')).toBeUndefined();
      expect(await store.listParticipants('d')).toEqual([]);
      expect(await store.listUpdates('d')).toEqual([]);
      expect(await store.latestSnapshot('d')).toBeUndefined();
      expect(await store.listRuns('d')).toEqual([]);
      expect(await store.listEvents('d')).toEqual([]);
      expect(await store.listNotes('d')).toEqual([]);
      expect(await store.getScorecard('d')).toBeUndefined();
      expect(await store.deleteSession('d')).toBe(false);
      // The other session is whole.
      expect(await store.getSession('k')).toBeDefined();
      expect(await store.listUpdates('k')).toHaveLength(2);
      expect(await store.listRuns('k')).toHaveLength(1);
      expect(await store.listNotes('k')).toHaveLength(1);
      expect(await store.getScorecard('k')).toBeDefined();
    });

    it('refuses rows that name a session or participant that does not exist (a deleted session stays deleted)', async () => {
      await store.createSession(session('r'), tokens('r'), new Uint8Array([0]));
      await expect(store.appendUpdate({ sessionId: 'gone', at: 1, participantId: null, bytes: new Uint8Array([1]) })).rejects.toThrow();
      await expect(store.appendUpdate({ sessionId: 'r', at: 1, participantId: 'nobody', bytes: new Uint8Array([1]) })).rejects.toThrow();
      await expect(store.addRun(run('x1', 'gone', 1))).rejects.toThrow();
      await expect(store.addNote({ id: 'x2', sessionId: 'r', participantId: 'nobody', at: 1, text: 'x' })).rejects.toThrow();
      await expect(store.addEvent('gone', { at: 1, type: 'warning', data: {} })).rejects.toThrow();
      await expect(store.ensureParticipant({ id: 'x3', sessionId: 'gone', role: 'observer', name: 'Bo', firstSeen: 1 })).rejects.toThrow();
      expect(await store.listUpdates('r')).toHaveLength(1);
      expect(await store.listUpdates('gone')).toEqual([]);
      expect(await store.listNotes('r')).toEqual([]);
    });

    registerImportTests(() => store);
    registerSeveralWriterTests(factory, () => store, track);
    registerReferenceOutputTests(factory, () => store, track);
    registerFingerprintTests(factory, () => store);
    registerAccountTests(factory, () => store, track);

    if (factory.reopen) {
      const reopen = factory.reopen;
      it('commits queued updates on close: they are there when the data is opened again', async () => {
        await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
        const pending = store.appendUpdate({ sessionId: 's', at: 1, participantId: null, bytes: new Uint8Array([9]) });
        opened.splice(opened.indexOf(store), 1);
        store = track(await reopen(store));
        const id = await pending;
        expect((await store.listUpdates('s')).map((u) => [u.id, [...u.bytes]]).at(-1)).toEqual([id, [9]]);
      });

      it('keeps reference outputs when the data is opened again', async () => {
        const outputs = [{ stdout: 'kept\n', exitCode: 0, ms: 3, fuel: 42 }];
        await store.putReferenceOutputs('kept', 'sum-array', outputs, 1);
        opened.splice(opened.indexOf(store), 1);
        store = track(await reopen(store));
        expect(await store.getReferenceOutputs('kept')).toEqual(outputs);
      });
    }
  });
}
