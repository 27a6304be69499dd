// What both PostgreSQL stores (PostgresStore, PostgresAccounts) need of the pool: BIGINT read as
// numbers, transactions, `?` placeholders numbered, and the migrations (schema.ts), which run under
// an advisory lock because several server nodes may start at once on one database.
import pg from 'pg';
import { withLocalDefaults } from './postgres-url.ts';
import { MIGRATIONS_TABLE, pendingMigrations, postgresMigrations, type Migration } from './schema.ts';

export type Queryable = Pick<pg.PoolClient, 'query'>;

const INT8_OID = 20;
/** Any constant shared by every node: the advisory lock that serializes migrations. */
const MIGRATION_LOCK = 7_351_902_214;

/** BIGINT (ms timestamps, ids, counts) as a number; refuses values a number cannot hold exactly. */
function parseBigint(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`BIGINT ${text} is beyond Number.MAX_SAFE_INTEGER`);
  return n;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseBigint : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** A pool on `url` (a postgres:// connection string); nothing is connected yet. */
export function createPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: withLocalDefaults(url), types, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (err) => console.error('[store] idle PostgreSQL connection failed', err.message));
  return pool;
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...`. */
export const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

async function inTransaction<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/** Runs `fn` in a transaction on a connection of its own, rolled back if it throws. */
export async function transaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, () => fn(client));
  } finally {
    client.release();
  }
}

/** Applies the migrations not applied yet, each in its own transaction, one node at a time. */
export async function migratePostgres(pool: pg.Pool, migrations: Migration[] = postgresMigrations): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(MIGRATIONS_TABLE);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of pendingMigrations(migrations, done)) {
      await inTransaction(client, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      });
      applied.push(m.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}
