// Which store the server uses: PostgreSQL when DATABASE_URL is set (several server nodes may share
// it), otherwise SQLite in DATA_DIR, the single-process default.
import type { Config } from '../config.ts';
import { redactUrl } from './postgres-url.ts';
import { openSqliteStore, sqliteFile } from './sqlite.ts';
import type { Store } from './types.ts';

export type StoreConfig = Pick<Config, 'databaseUrl' | 'dataDir'>;

/** Opens (and migrates) the configured store; rejects with the reason when PostgreSQL cannot be reached. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.databaseUrl === undefined) return openSqliteStore(config.dataDir);
  // Loaded only when used: the SQLite default needs nothing from pg.
  const { PostgresStore } = await import('./postgres.ts');
  try {
    return await PostgresStore.open(config.databaseUrl);
  } catch (err) {
    throw new Error(`Cannot open the PostgreSQL database at ${redactUrl(config.databaseUrl)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Where the data lives, for the startup log (never a password). */
export function describeStore(config: StoreConfig): string {
  return config.databaseUrl === undefined ? `SQLite ${sqliteFile(config.dataDir)}` : `PostgreSQL ${redactUrl(config.databaseUrl)}`;
}
