// Choosing the store at start: SQLite in DATA_DIR unless DATABASE_URL names a PostgreSQL database;
// a bad or unreachable URL stops the start with a reason (and never prints the password).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { describeStore, openStore } from '../../../server/src/store/index.ts';
import { PostgresStore } from '../../../server/src/store/postgres.ts';
import { SqliteStore } from '../../../server/src/store/sqlite.ts';
import { createTestDatabase } from '../../support/postgres.ts';

const db = await createTestDatabase('opening a PostgreSQL store from DATABASE_URL');
afterAll(() => db?.drop());

describe('openStore', () => {
  it('reads DATABASE_URL from the environment and refuses one that is not postgres://', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://app:pw@db:5432/interviews' }).databaseUrl).toBe('postgres://app:pw@db:5432/interviews');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/interviews' })).toThrow(/DATABASE_URL: DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'db.example:5432' })).toThrow(/DATABASE_URL/);
  });

  it('opens SQLite in DATA_DIR when DATABASE_URL is unset', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-open-'));
    try {
      const store = await openStore({ dataDir, databaseUrl: undefined });
      expect(store).toBeInstanceOf(SqliteStore);
      await store.close();
      expect(fs.existsSync(path.join(dataDir, 'interviews.sqlite'))).toBe(true);
      expect(describeStore({ dataDir, databaseUrl: undefined })).toBe(`SQLite ${path.join(dataDir, 'interviews.sqlite')}`);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails to start on an unreachable database, naming it without the password', async () => {
    const databaseUrl = 'postgres://app:secret@127.0.0.1:1/interviews';
    const err = await openStore({ dataDir: '/nonexistent', databaseUrl }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^Cannot open the PostgreSQL database at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/interviews: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('secret');
    expect(describeStore({ dataDir: '/x', databaseUrl })).toBe('PostgreSQL postgres://app:***@127.0.0.1:1/interviews');
  });

  it.skipIf(!db)('opens (and migrates) PostgreSQL when DATABASE_URL is set', async () => {
    const store = await openStore({ dataDir: '/nonexistent', databaseUrl: db!.url });
    try {
      expect(store).toBeInstanceOf(PostgresStore);
      expect(await store.listSessions()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
