// A database's schema as sorted text lines (tables, columns, constraints, indexes), so that a test
// can hold a migrated schema to a file: databases created by earlier releases must keep getting
// exactly the same schema from the same migrations. Whitespace inside SQL text is collapsed.
import type Database from 'better-sqlite3';
import type pg from 'pg';

const oneLine = (sql: string | null): string => (sql ?? '(implicit)').replace(/\s+/g, ' ').trim();

/** SQLite: every object in sqlite_master, with its CREATE statement as stored. */
export function sqliteShape(db: Database.Database): string {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  return rows.map((r) => `${r.type} ${r.name} on ${r.tbl_name}: ${oneLine(r.sql)}`).join('\n') + '\n';
}

/** PostgreSQL: the current schema's columns (in order, with types and defaults), constraints and indexes. */
export async function postgresShape(db: Pick<pg.Pool, 'query'>): Promise<string> {
  const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  const columns = await db.query<{ line: string }>(
    `SELECT format('column %s.%s #%s %s %s default %s', table_name, column_name, ordinal_position, data_type,
                   CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END, coalesce(column_default, '-')) AS line
     FROM information_schema.columns WHERE table_schema = $1`,
    [schema],
  );
  const constraints = await db.query<{ line: string }>(
    `SELECT format('constraint %s on %s: %s', c.conname, t.relname, pg_get_constraintdef(c.oid)) AS line
     FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = $1`,
    [schema],
  );
  const indexes = await db.query<{ line: string }>(`SELECT format('index %s: %s', indexname, replace(indexdef, $1 || '.', '')) AS line FROM pg_indexes WHERE schemaname = $1`, [
    schema,
  ]);
  const lines = [...columns.rows, ...constraints.rows, ...indexes.rows].map((r) => oneLine(r.line));
  return lines.sort().join('\n') + '\n';
}
