// The parts of the Store contract about atomicity and concurrency: an import is all or nothing,
// and two writers (two server nodes on one database) never both win a timer change or a final run,
// nor collide on ids.
import { expect, it } from 'vitest';
import type { SessionBundle, Store } from '../../server/src/store/types.ts';
import { live, run, session, start, tokens, waiting } from './store-fixtures.ts';

/** Opens stores for the contract (see storeContract). */
export interface StoreFactory {
  /** A new, empty store. */
  create(): Promise<Store>;
  /** Another handle on the same data, as a second server node would open it; absent when there is none. */
  sibling?(store: Store): Promise<Store>;
  /** Closes `store` and opens its data again; absent for stores that keep nothing. */
  reopen?(store: Store): Promise<Store>;
  /** Writes a reference outputs row holding `payload` as it is, as a damaged database would hold it. */
  writeReferenceRow(store: Store, key: string, payload: string): Promise<void>;
  /** Writes a fingerprints row holding `payload` as it is, for an existing session. */
  writeFingerprintRow(store: Store, sessionId: string, slug: string, payload: string): Promise<void>;
}

const bundle = (id: string): SessionBundle => ({
  session: session(id, 50, { status: 'ended', startedAt: 60, deadline: 120, endedAt: 100 }),
  tokens: tokens(id),
  participants: [{ id: `${id}-p`, sessionId: id, role: 'candidate', name: 'Ada', firstSeen: 61 }],
  // Ids as in the source server; the store assigns its own and remaps runs' updateId.
  updates: [
    { id: 900, sessionId: id, at: 50, participantId: null, bytes: new Uint8Array([1]) },
    { id: 905, sessionId: id, at: 70, participantId: `${id}-p`, bytes: new Uint8Array([2, 3]) },
  ],
  runs: [
    { ...run(`${id}-r`, id, 80), participantId: `${id}-p`, updateId: 905 },
    { ...run(`${id}-f`, id, 101, 'final'), updateId: 905 },
  ],
  events: [
    { sessionId: id, at: 60, type: 'start', data: { deadline: 120 } },
    { sessionId: id, at: 61, type: 'join', participantId: `${id}-p`, data: {} },
  ],
  notes: [{ id: `${id}-n`, sessionId: id, participantId: null, at: 75, text: 'note' }],
  scorecard: { sessionId: id, overall: 3, criteria: { correctness: 3, fluency: 3, debugging: 2, communication: 4 }, text: 'ok', updatedAt: 110, by: 'M' },
  snapshots: [{ sessionId: id, at: 111, lastUpdateId: 905, bytes: new Uint8Array([4, 5]) }],
  origin: { sessionId: id, importedAt: 120, source: 'https://old.example', exportedAt: 115, contentHash: `hash-${id}` },
});

/** A bundle with `n` updates (and a snapshot after the last), large enough to be written in several slices. */
export function largeBundle(id: string, n: number): SessionBundle {
  const b = bundle(id);
  b.updates = Array.from({ length: n }, (_, i) => ({ id: i + 1, sessionId: id, at: 50 + i, participantId: i === 0 ? null : `${id}-p`, bytes: new Uint8Array([i % 256, 7, 7, 7]) }));
  b.runs = b.runs.map((r) => ({ ...r, updateId: n }));
  b.snapshots = [{ sessionId: id, at: 111, lastUpdateId: n, bytes: new Uint8Array([1]) }];
  return b;
}

export function registerImportTests(current: () => Store): void {
  it('imports a whole session, assigning its own update ids and remapping the runs that point at them', async () => {
    const store = current();
    await store.createSession(session('existing'), tokens('existing'), new Uint8Array([0]));
    const b = bundle('imp');
    await store.importSession(b);
    expect(await store.getSession('imp')).toEqual(b.session);
    expect((await store.listTokens('imp')).length).toBe(4);
    expect(await store.listParticipants('imp')).toEqual(b.participants);
    const updates = await store.listUpdates('imp');
    expect(updates.map((u) => [...u.bytes])).toEqual([[1], [2, 3]]);
    expect(updates[1]!.participantId).toBe('imp-p');
    const runs = await store.listRuns('imp');
    expect(runs.map((r) => [r.id, r.updateId])).toEqual([
      ['imp-r', updates[1]!.id],
      ['imp-f', updates[1]!.id],
    ]);
    expect(await store.hasFinalRun('imp')).toBe(true);
    expect((await store.listEvents('imp')).map((e) => [e.type, e.participantId ?? null])).toEqual([
      ['start', null],
      ['join', 'imp-p'],
    ]);
    expect(await store.listNotes('imp')).toEqual(b.notes);
    expect(await store.getScorecard('imp')).toEqual(b.scorecard);
    // Snapshots point at the updates' new ids too.
    expect(await store.snapshotAtOrBefore('imp', updates[1]!.id)).toMatchObject({ lastUpdateId: updates[1]!.id, at: 111 });
    expect([...(await store.latestSnapshot('imp'))!.bytes]).toEqual([4, 5]);
    expect(await store.snapshotAtOrBefore('imp', updates[0]!.id)).toBeUndefined();
    // Where it came from, found by session and by content.
    expect(await store.getImport('imp')).toEqual(b.origin);
    expect(await store.findImport('hash-imp')).toEqual(b.origin);
    expect(await store.getImport('existing')).toBeUndefined();
    expect(await store.findImport('hash-none')).toBeUndefined();
  });

  it('refuses a second import of the same content (unique hash), leaving nothing of it; deleting the first frees it', async () => {
    const store = current();
    await store.importSession(bundle('once'));
    const twin = bundle('twice');
    twin.origin.contentHash = 'hash-once';
    await expect(store.importSession(twin)).rejects.toThrow(/unique/i);
    expect(await store.getSession('twice')).toBeUndefined();
    expect(await store.listUpdates('twice')).toEqual([]);
    expect(await store.getImport('twice')).toBeUndefined();
    expect(await store.deleteSession('once')).toBe(true);
    expect(await store.findImport('hash-once')).toBeUndefined();
    await store.importSession(twin);
    expect((await store.findImport('hash-once'))?.sessionId).toBe('twice');
  });

  it('imports as one: a call made meanwhile sees the whole session or none of it, and its own writes land', async () => {
    const store = current();
    await store.createSession(session('other'), tokens('other'), new Uint8Array([0]));
    const b = largeBundle('big', 5_000);
    const importing = store.importSession(b);
    const [seen, updates, appended] = await Promise.all([
      store.getSession('big'),
      store.listUpdates('big'),
      store.appendUpdate({ sessionId: 'other', at: 1, participantId: null, bytes: new Uint8Array([9]) }),
    ]);
    await importing;
    if (seen) expect(updates).toHaveLength(5_000);
    else expect(updates).toEqual([]);
    expect((await store.listUpdates('big')).length).toBe(5_000);
    expect((await store.listUpdates('other')).map((u) => u.id)).toContain(appended);
  });

  it('imports all or nothing: a refused import leaves no row behind', async () => {
    const store = current();
    const b = bundle('half');
    // A second final run breaks the unique index after the session, updates and first runs went in.
    b.runs.push({ ...run('half-f2', 'half', 102, 'final'), updateId: null });
    const before = await store.lastUpdateId('half');
    await expect(store.importSession(b)).rejects.toThrow(/unique/i);
    expect(before).toBe(0);
    expect(await store.getSession('half')).toBeUndefined();
    expect(await store.findToken('half-mentor')).toBeUndefined();
    expect(await store.listParticipants('half')).toEqual([]);
    expect(await store.listUpdates('half')).toEqual([]);
    expect(await store.listRuns('half')).toEqual([]);
    expect(await store.latestSnapshot('half')).toBeUndefined();
    // And the same bundle, fixed, goes in afterwards.
    b.runs.pop();
    await store.importSession(b);
    expect(await store.listRuns('half')).toHaveLength(2);
  });
}

export function registerSeveralWriterTests(factory: StoreFactory, current: () => Store, track: (s: Store) => Store): void {
  // Two nodes on one database: `other` is a second handle when the store has one, else the same.
  const other = async () => (factory.sibling ? track(await factory.sibling(current())) : current());

  it('several writers: of two timer changes from the same state exactly one applies, with one event', async () => {
    const store = current();
    const node2 = await other();
    await store.createSession(session('race'), tokens('race'), new Uint8Array([0]));
    const late = { ...live, startedAt: 11, deadline: 11 + live.durationMs };
    const applied = await Promise.all([store.setTimer('race', waiting, live, start), node2.setTimer('race', waiting, late, { ...start, at: 11 })]);
    expect(applied.filter(Boolean)).toHaveLength(1);
    const winner = applied[0] ? live : late;
    expect(await store.getSession('race')).toMatchObject(winner);
    expect(await node2.listEvents('race')).toMatchObject([{ type: 'start', at: winner.startedAt }]);
  });

  it('several writers: two final gradings stored at once leave exactly one final run', async () => {
    const store = current();
    const node2 = await other();
    await store.createSession(session('fin'), tokens('fin'), new Uint8Array([0]));
    const outcomes = await Promise.allSettled([store.addRun(run('fa', 'fin', 5, 'final')), node2.addRun(run('fb', 'fin', 5, 'final'))]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect((await store.listRuns('fin')).filter((r) => r.kind === 'final')).toHaveLength(1);
  });

  it('several writers: update and event ids never collide, and participants stay unique', async () => {
    const store = current();
    const node2 = await other();
    await store.createSession(session('ids'), tokens('ids'), new Uint8Array([0]));
    const writes = [store, node2].flatMap((s, n) =>
      Array.from({ length: 10 }, (_, i) => s.appendUpdate({ sessionId: 'ids', at: i, participantId: null, bytes: new Uint8Array([n, i]) })),
    );
    const ids = await Promise.all(writes);
    expect(new Set(ids).size).toBe(20);
    expect((await store.listUpdates('ids')).length).toBe(21);
    await Promise.all([store.addEvent('ids', { at: 1, type: 'warning', data: {} }), node2.addEvent('ids', { at: 1, type: 'warning', data: {} })]);
    expect(new Set((await store.listEvents('ids')).map((e) => e.id)).size).toBe(2);
    const [a, b] = await Promise.all([
      store.ensureParticipant({ id: 'pa', sessionId: 'ids', role: 'observer', name: 'Cy', firstSeen: 1 }),
      node2.ensureParticipant({ id: 'pb', sessionId: 'ids', role: 'observer', name: 'Cy', firstSeen: 1 }),
    ]);
    expect(a.id).toBe(b.id);
    expect(await store.listParticipants('ids')).toHaveLength(1);
  });
}
