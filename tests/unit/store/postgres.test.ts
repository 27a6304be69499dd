// What only the PostgreSQL store does: migrating under a lock when several nodes start at once, a
// schema that matches SQLite's, group commit, and checking DATABASE_URL. The behaviour every store
// shares is in the contract suite (contract.test.ts).
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { migratePostgres } from '../../../server/src/store/postgres-pool.ts';
import { checkPostgresUrl, withLocalDefaults } from '../../../server/src/store/postgres-url.ts';
import { PostgresStore } from '../../../server/src/store/postgres.ts';
import { migrate } from '../../../server/src/store/sqlite-db.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { session, tokens } from '../../support/store-contract.ts';

describe('DATABASE_URL', () => {
  it('accepts postgres:// and postgresql:// URLs and refuses anything else with the reason', () => {
    expect(checkPostgresUrl('postgres://u:p@db.example:5432/interviews').hostname).toBe('db.example');
    expect(checkPostgresUrl('postgresql:///interviews').pathname).toBe('/interviews');
    expect(() => checkPostgresUrl('mysql://db/x')).toThrow(/must start with postgres:\/\/ or postgresql:\/\//);
    expect(() => checkPostgresUrl('interviews')).toThrow(/not a URL/);
  });

  it('completes a local URL as psql would: the unix socket, the OS user', () => {
    const url = new URL(withLocalDefaults('postgres:///interviews', {}));
    expect(url.searchParams.get('user')).toBeTruthy();
    expect(new URL(withLocalDefaults('postgres://app@db:5432/interviews', {})).search).toBe('');
    expect(new URL(withLocalDefaults('postgres:///interviews', { PGHOST: '/tmp', PGUSER: 'app' })).search).toBe('');
  });
});

const db = await createTestDatabase('the PostgreSQL store tests');
if (db) {
  afterAll(() => db.drop());

  describe('PostgresStore', () => {
    it('migrates once, even when two nodes start at the same moment', async () => {
      const url = await db.schemaUrl('migrate_race');
      const pools = [0, 1].map(() => new pg.Pool({ connectionString: withLocalDefaults(url) }));
      try {
        const applied = await Promise.all(pools.map((p) => migratePostgres(p)));
        expect(applied.flat().sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect(await migratePostgres(pools[0]!)).toEqual([]);
        const rows = (await pools[0]!.query('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
        expect(rows).toEqual([
          { version: 1, name: 'initial' },
          { version: 2, name: 'review' },
          { version: 3, name: 'practice' },
          { version: 4, name: 'archive' },
          { version: 5, name: 'reference outputs' },
          { version: 6, name: 'imports' },
          { version: 7, name: 'fingerprints' },
          { version: 8, name: 'accounts' },
        ]);
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    });

    it('has the same tables, columns and indexes as the SQLite schema (plus the insertion counters)', async () => {
      const url = await db.schemaUrl('same_schema');
      const store = await PostgresStore.open(url);
      const sqlite = new Database(':memory:');
      try {
        migrate(sqlite);
        const sqliteTables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
          (r) => r.name,
        );
        const expected = sqliteTables.flatMap((t) => (sqlite.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => `${t}.${c.name}`));
        const actual = (
          await store.pool.query<{ c: string }>("SELECT table_name || '.' || column_name AS c FROM information_schema.columns WHERE table_schema = current_schema()")
        ).rows.map((r) => r.c);
        expect(actual.filter((c) => !['runs.seq', 'notes.seq'].includes(c)).sort()).toEqual(expected.sort());
        const sqliteIndexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
        const pgIndexes = (await store.pool.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()')).rows.map((r) => r.indexname);
        expect(pgIndexes).toEqual(expect.arrayContaining(sqliteIndexes));
      } finally {
        sqlite.close();
        await store.close();
      }
    });

    it('group-commits: the updates issued in one turn are written in one transaction', async () => {
      const store = await PostgresStore.open(await db.schemaUrl('group_commit'));
      try {
        await store.createSession(session('s'), tokens('s'), new Uint8Array([0]));
        const connections = vi.spyOn(store.pool, 'connect');
        const ids = await Promise.all(Array.from({ length: 50 }, (_, n) => store.appendUpdate({ sessionId: 's', at: n, participantId: null, bytes: new Uint8Array([n]) })));
        expect(connections).toHaveBeenCalledTimes(1);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      } finally {
        await store.close();
      }
    });

    it('reports an unreachable database when it opens, not at the first request', async () => {
      await expect(PostgresStore.open('postgres://nobody@127.0.0.1:1/none')).rejects.toThrow(/ECONNREFUSED/);
    });
  });
} else {
  describe.skip('PostgresStore (PostgreSQL not reachable)', () => {});
}
