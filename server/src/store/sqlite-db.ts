// Opening the SQLite file: its pragmas, then the migrations it has not applied yet (schema.ts).
// WAL + synchronous=FULL: a commit has reached the disk when it returns, so an acknowledged edit
// survives kill -9.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS_TABLE, pendingMigrations, sqliteMigrations, type Migration } from './schema.ts';

/** Applies the migrations not applied yet, each in its own transaction; the versions applied. */
export function migrate(db: Database.Database, migrations: Migration[] = sqliteMigrations): number[] {
  db.exec(MIGRATIONS_TABLE);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const applied: number[] = [];
  for (const m of pendingMigrations(migrations, done)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    })();
    applied.push(m.version);
  }
  return applied;
}

/** Opens (creating its directory if missing) and migrates the database file. */
export function openDatabase(file: string): Database.Database {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
