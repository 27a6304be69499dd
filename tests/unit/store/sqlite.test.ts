// What only the SQLite store does: its migrations and pragmas, and group commit. Everything every
// store does is in the contract suite (contract.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../../server/src/store/sqlite-db.ts';
import { SqliteStore } from '../../../server/src/store/sqlite.ts';
import { session, tokens } from '../../support/store-contract.ts';
import { largeBundle } from '../../support/store-contract-atomic.ts';

let dir: string;
let store: SqliteStore;
const file = () => path.join(dir, 'db.sqlite');

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-store-'));
  store = new SqliteStore(file());
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('applies migrations once and records them; the database is in WAL mode', async () => {
    await store.close();
    const db = new Database(file());
    expect(migrate(db)).toEqual([]); // already applied by the constructor
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'review' },
      { version: 3, name: 'practice' },
      { version: 4, name: 'archive' },
      { version: 5, name: 'reference outputs' },
      { version: 6, name: 'imports' },
      { version: 7, name: 'fingerprints' },
      { version: 8, name: 'accounts' },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    store = new SqliteStore(file());
  });

  it('group-commits: the updates issued in one turn are written in one transaction', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    const transactions = vi.spyOn(store.db, 'transaction');
    const ids = await Promise.all(Array.from({ length: 50 }, (_, n) => store.appendUpdate({ sessionId: 's', at: n, participantId: null, bytes: new Uint8Array([n]) })));
    expect(transactions).toHaveBeenCalledTimes(1);
    expect(ids).toHaveLength(50);
    await store.appendUpdate({ sessionId: 's', at: 99, participantId: null, bytes: new Uint8Array([99]) });
    expect(transactions).toHaveBeenCalledTimes(2);
  });

  it('writes a large import in slices: the event loop turns meanwhile, other calls wait, a refused one leaves nothing', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      const importing = store.importSession(largeBundle('big', 50_000));
      // An edit stored meanwhile waits for the import's transaction, then commits on its own.
      const edit = store.appendUpdate({ sessionId: 's', at: 1, participantId: null, bytes: new Uint8Array([1]) });
      await importing;
      expect(turns).toBeGreaterThan(0);
      expect(await edit).toBeGreaterThan(0);
      expect(await store.lastUpdateId('big')).toBeGreaterThan(0);
      const refused = largeBundle('bad', 50_000);
      refused.runs.push({ ...refused.runs[1]!, id: 'second-final' }); // breaks the one-final index at the end
      await expect(store.importSession(refused)).rejects.toThrow(/unique/i);
      expect(await store.listUpdates('bad')).toEqual([]);
      expect(store.db.inTransaction).toBe(false);
      expect(await store.appendUpdate({ sessionId: 's', at: 2, participantId: null, bytes: new Uint8Array([2]) })).toBeGreaterThan(0);
    } finally {
      clearInterval(ticker);
    }
  });

  it('writes two imports at once one after the other, and a call waiting on the first does not land in the second', async () => {
    await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
    const first = store.importSession(largeBundle('one', 20_000));
    const [, , during] = await Promise.all([first, store.importSession(largeBundle('two', 20_000)), store.addEvent('s', { at: 5, type: 'start', data: {} })]);
    expect(during).toBeUndefined();
    expect((await store.listUpdates('one')).length).toBe(20_000);
    expect((await store.listUpdates('two')).length).toBe(20_000);
    expect(await store.listEvents('s')).toHaveLength(1);
  });
});
