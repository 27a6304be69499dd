// PostgreSQL for tests: TEST_DATABASE_URL (default: the local server over its unix socket, as psql
// finds it). Each test file gets a database of its own, dropped at the end. Without a reachable
// server the PostgreSQL tests are skipped with a printed reason, except under CI, where that fails.
import crypto from 'node:crypto';
import pg from 'pg';
import { redactUrl, withLocalDefaults } from '../../server/src/store/postgres-url.ts';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || 'postgres:///postgres';

export interface TestDatabase {
  /** URL of this file's own database. */
  url: string;
  /** A URL on this database whose tables live in a new, empty schema `name` (search_path). */
  schemaUrl(name: string): Promise<string>;
  /** Drops the database (closing whatever is still connected to it). */
  drop(): Promise<void>;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: withLocalDefaults(url), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}

/**
 * Why PostgreSQL cannot be used for `what` (printed), or null when it is reachable. Under CI an
 * unreachable server throws instead: the tests must run there.
 */
export async function postgresUnavailable(what: string): Promise<string | null> {
  try {
    await (await connect(TEST_DATABASE_URL)).end();
    return null;
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${redactUrl(TEST_DATABASE_URL)} (${(err as Error).message})`;
    if (process.env['CI']) throw new Error(`${reason}: CI must run ${what}; .ci/run installs and starts PostgreSQL`);
    console.warn(`${reason}: skipping ${what}. Start PostgreSQL or set TEST_DATABASE_URL to run them.`);
    return reason;
  }
}

/**
 * Creates a fresh database for the tests named by `what`, or returns null (after printing why)
 * when PostgreSQL is not reachable and CI is not set. Under CI an unreachable server throws.
 */
export async function createTestDatabase(what: string): Promise<TestDatabase | null> {
  let admin: pg.Client;
  try {
    admin = await connect(TEST_DATABASE_URL);
  } catch (err) {
    const reason = `PostgreSQL not reachable at ${redactUrl(TEST_DATABASE_URL)} (${(err as Error).message})`;
    if (process.env['CI']) throw new Error(`${reason}: CI must run ${what}; .ci/run installs and starts PostgreSQL`);
    console.warn(`${reason}: skipping ${what}. Start PostgreSQL or set TEST_DATABASE_URL to run them.`);
    return null;
  }
  const name = `ci_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  return {
    url: dbUrl,
    async schemaUrl(schema) {
      if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
      const client = await connect(dbUrl);
      try {
        await client.query(`CREATE SCHEMA ${schema}`);
      } finally {
        await client.end();
      }
      const withSchema = new URL(dbUrl);
      withSchema.searchParams.set('options', `-c search_path=${schema}`);
      return withSchema.toString();
    },
    async drop() {
      const client = await connect(TEST_DATABASE_URL);
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The database that TEST_STORE=postgres integration runs share; each server's data is a schema in it. */
const INTEGRATION_DATABASE = 'ci_integration';

/**
 * For TEST_STORE=postgres: a URL whose tables live in a schema named after `dataDir`, so that a
 * server restarted on the same DATA_DIR finds its data again; `drop` removes the schema.
 */
export async function schemaForDataDir(dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = await connect(TEST_DATABASE_URL);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [INTEGRATION_DATABASE]);
    if (exists.rowCount === 0) {
      // Another test process may create it at the same moment (duplicate_database).
      await admin.query(`CREATE DATABASE ${INTEGRATION_DATABASE}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err;
      });
    }
  } finally {
    await admin.end();
  }
  const base = new URL(TEST_DATABASE_URL);
  base.pathname = `/${INTEGRATION_DATABASE}`;
  const schema = `it_${crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 20)}`;
  const run = async (sql: string) => {
    const client = await connect(base.toString());
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}
