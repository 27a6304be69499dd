// The schema that migrations 1 to 8 give each store is frozen: a database created by an earlier
// release was migrated by them and must look exactly like a new one, so these migrations may never
// change what they create. The files under schema/ were taken from the schema as first released.
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../../server/src/store/postgres-pool.ts';
import { withLocalDefaults } from '../../../server/src/store/postgres-url.ts';
import { postgresMigrations, sqliteMigrations } from '../../../server/src/store/schema.ts';
import { migrate } from '../../../server/src/store/sqlite-db.ts';
import { createTestDatabase } from '../../support/postgres.ts';
import { postgresShape, sqliteShape } from '../../support/schema-shape.ts';

const FROZEN = 8;
const frozen = <M extends { version: number }>(migrations: M[]) => migrations.filter((m) => m.version <= FROZEN);

const pgDb = await createTestDatabase('the frozen PostgreSQL schema test');
if (pgDb) afterAll(() => pgDb.drop());

describe('the schema of migrations 1 to 8', () => {
  it('is the same on SQLite as when first released', async () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, frozen(sqliteMigrations))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await expect(sqliteShape(db)).toMatchFileSnapshot('./schema/sqlite-v8.txt');
    } finally {
      db.close();
    }
  });

  if (pgDb) {
    it('is the same on PostgreSQL as when first released', async () => {
      const pool = new pg.Pool({ connectionString: withLocalDefaults(await pgDb.schemaUrl('frozen')) });
      try {
        expect(await migratePostgres(pool, frozen(postgresMigrations))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        await expect(await postgresShape(pool)).toMatchFileSnapshot('./schema/postgres-v8.txt');
      } finally {
        await pool.end();
      }
    });
  } else {
    it.skip('is the same on PostgreSQL as when first released (PostgreSQL not reachable)', () => {});
  }
});
