// The Store contract (tests/support/store-contract.ts) against every implementation: in memory,
// SQLite in a temporary directory, and PostgreSQL in a database of this file's own (one schema per
// test), skipped with a printed reason when PostgreSQL is not reachable outside CI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe } from 'vitest';
import { MemoryStore } from '../../../server/src/store/memory.ts';
import { PostgresStore } from '../../../server/src/store/postgres.ts';
import { SqliteStore } from '../../../server/src/store/sqlite.ts';
import type { Store } from '../../../server/src/store/types.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { storeContract } from '../../support/store-contract.ts';

storeContract('MemoryStore', {
  create: async () => new MemoryStore(),
  async writeReferenceRow(store, key, payload) {
    (store as MemoryStore).referenceRows.set(key, { slug: 'damaged', payload, createdAt: 1 });
  },
  async writeFingerprintRow(store, sessionId, slug, payload) {
    (store as MemoryStore).fingerprintRows.set(sessionId, { slug, payload, createdAt: 1 });
  },
});

const dirs: string[] = [];
const sqliteFiles = new WeakMap<Store, string>();
const openSqlite = (file: string) => {
  const store = new SqliteStore(file);
  sqliteFiles.set(store, file);
  return store;
};
storeContract('SqliteStore', {
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-contract-'));
    dirs.push(dir);
    return openSqlite(path.join(dir, 'db.sqlite'));
  },
  sibling: async (store) => openSqlite(sqliteFiles.get(store)!),
  async reopen(store) {
    await store.close();
    return openSqlite(sqliteFiles.get(store)!);
  },
  async writeReferenceRow(store, key, payload) {
    (store as SqliteStore).db.prepare("INSERT INTO reference_outputs (key, slug, payload, created_at) VALUES (?, 'damaged', ?, 1)").run(key, payload);
  },
  async writeFingerprintRow(store, sessionId, slug, payload) {
    (store as SqliteStore).db.prepare('INSERT INTO fingerprints (session_id, slug, payload, created_at) VALUES (?, ?, ?, 1)').run(sessionId, slug, payload);
  },
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const db = await createTestDatabase('the PostgreSQL store contract tests');
if (db) {
  afterAll(() => db.drop());
  let schemas = 0;
  const urls = new WeakMap<Store, string>();
  const openPostgres = async (url: string) => {
    const store = await PostgresStore.open(url);
    urls.set(store, url);
    return store;
  };
  storeContract('PostgresStore', {
    create: async () => openPostgres(await db.schemaUrl(`contract_${++schemas}`)),
    sibling: async (store) => openPostgres(urls.get(store)!),
    async reopen(store) {
      await store.close();
      return openPostgres(urls.get(store)!);
    },
    async writeReferenceRow(store, key, payload) {
      await (store as PostgresStore).pool.query("INSERT INTO reference_outputs (key, slug, payload, created_at) VALUES ($1, 'damaged', $2, 1)", [key, payload]);
    },
    async writeFingerprintRow(store, sessionId, slug, payload) {
      await (store as PostgresStore).pool.query('INSERT INTO fingerprints (session_id, slug, payload, created_at) VALUES ($1, $2, $3, 1)', [sessionId, slug, payload]);
    },
  });
} else {
  describe.skip('PostgresStore: the Store contract (PostgreSQL not reachable)', () => {});
}
