// PostgreSQL implementation of Store (pg Pool), selected by DATABASE_URL. Behaves as the SQLite
// store does (tests/support/store-contract.ts runs both), and several server nodes may share one
// database: migrations run under an advisory lock, timer changes are conditional, the final run is
// unique by index, and ids come from random values or from the database's sequences.
// Document updates are group-committed like SQLite's (group-commit.ts): the updates issued while
// the previous batch commits go into the next transaction together.
import pg from 'pg';
import { GroupCommit, type NewUpdate } from './group-commit.ts';
import { postgresMigrations } from './migrations-postgres.ts';
import { fingerprintsPayload, fingerprintRows } from './fingerprints.ts';
import { PostgresAccounts } from './accounts-postgres.ts';
import { parseReferenceOutputs, referenceOutputsPayload } from './reference-outputs.ts';
import { withLocalDefaults } from './postgres-url.ts';
import type { Migration } from './migrations.ts';
import {
  IMPORT_COLUMNS,
  importedId,
  importValues,
  SESSION_TABLES,
  scorecardData,
  toBuffer,
  toEvent,
  toImport,
  toNote,
  toParticipant,
  toRun,
  toScorecard,
  toSession,
  toSnapshot,
  toToken,
  toUpdate,
  type EventRow,
  type ImportRow,
  type NoteRow,
  type ParticipantRow,
  type RunRow,
  type ScorecardRow,
  type SessionRow,
  type SnapshotRow,
  type TokenRow,
  type UpdateRow,
} from './rows.ts';
import type {
  EventRecord,
  ImportRecord,
  FingerprintRecord,
  NoteRecord,
  ParticipantRecord,
  ReferenceOutput,
  RunRecord,
  ScorecardRecord,
  SessionBundle,
  SessionFilter,
  SessionRecord,
  SnapshotRecord,
  Store,
  TimerState,
  TokenRecord,
  UpdateRecord,
} from './types.ts';
import type { TimelineEventType } from '../../../common/review.ts';

type Queryable = Pick<pg.PoolClient, 'query'>;
type NewEvent = Omit<EventRecord, 'id' | 'sessionId'>;

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

/** Applies the migrations not applied yet, each in its own transaction, one node at a time. */
export async function migratePostgres(pool: pg.Pool, migrations: Migration[] = postgresMigrations): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
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

export class PostgresStore implements Store {
  private closed = false;
  private readonly updates = new GroupCommit({
    batch: (updates) =>
      this.transaction(async (c) => {
        const ids: number[] = [];
        for (const u of updates) ids.push(await this.insertUpdate(c, u));
        return ids;
      }),
    one: (update) => this.insertUpdate(this.pool, update),
  });

  readonly accounts: PostgresAccounts;

  private constructor(readonly pool: pg.Pool) {
    this.accounts = new PostgresAccounts(pool);
  }

  /** Connects, migrates, and returns the store. `url` is a postgres:// connection string. */
  static async open(url: string): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: withLocalDefaults(url), types, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection dropped by the server must not crash the process; the pool replaces it.
    pool.on('error', (err) => console.error('[store] idle PostgreSQL connection failed', err.message));
    try {
      await migratePostgres(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, () => fn(client));
    } finally {
      client.release();
    }
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, args: unknown[] = [], db: Queryable = this.pool): Promise<R[]> {
    return (await db.query<R>(sql, args)).rows;
  }

  async createSession(s: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void> {
    await this.transaction(async (c) => {
      await this.insertSession(c, s, tokens);
      await c.query('INSERT INTO doc_updates (session_id, at, participant_id, bytes) VALUES ($1, $2, NULL, $3)', [s.id, s.createdAt, toBuffer(starterUpdate)]);
    });
  }

  private async insertSession(c: Queryable, s: SessionRecord, tokens: TokenRecord[]): Promise<void> {
    await c.query(
      `INSERT INTO sessions (id, mode, owner, exercise_slug, candidate_name, status, created_at, duration_ms, started_at, deadline, ended_at, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [s.id, s.mode, s.owner, s.exerciseSlug, s.candidateName, s.status, s.createdAt, s.durationMs, s.startedAt, s.deadline, s.endedAt, s.archivedAt],
    );
    for (const t of tokens) {
      await c.query('INSERT INTO tokens (hash, session_id, role, sealed) VALUES ($1, $2, $3, $4)', [t.hash, t.sessionId, t.role, t.sealed]);
    }
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const [row] = await this.rows<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return row && toSession(row);
  }

  async listSessions(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const add = (clause: string, value?: string | number) => {
      if (value !== undefined) args.push(value);
      where.push(clause.replace('?', `$${args.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.mode) add('mode = ?', filter.mode);
    if (filter.owner === null) add('owner IS NULL');
    else if (filter.owner !== undefined) add('owner = ?', filter.owner);
    if (filter.createdBefore !== undefined) add('created_at < ?', filter.createdBefore);
    if (filter.archived !== undefined) add(filter.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL');
    // Ties are broken by id in byte order (COLLATE "C"), as SQLite and the memory store do.
    const sql = `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id COLLATE "C"`;
    return (await this.rows<SessionRow>(sql, args)).map(toSession);
  }

  async setArchived(id: string, at: number | null): Promise<boolean> {
    return ((await this.pool.query('UPDATE sessions SET archived_at = $1 WHERE id = $2', [at, id])).rowCount ?? 0) > 0;
  }

  async deleteSession(id: string): Promise<boolean> {
    return this.transaction(async (c) => {
      for (const table of SESSION_TABLES) await c.query(`DELETE FROM ${table} WHERE session_id = $1`, [id]);
      return ((await c.query('DELETE FROM sessions WHERE id = $1', [id])).rowCount ?? 0) > 0;
    });
  }

  async addPracticeStart(owner: string, at: number): Promise<void> {
    await this.pool.query('INSERT INTO practice_starts (owner, at) VALUES ($1, $2)', [owner, at]);
  }

  async countPracticeStarts(owner: string, since: number): Promise<number> {
    const [row] = await this.rows<{ n: number }>('SELECT COUNT(*) AS n FROM practice_starts WHERE owner = $1 AND at >= $2', [owner, since]);
    return row?.n ?? 0;
  }

  async setTimer(sessionId: string, from: TimerState, to: TimerState, event: NewEvent): Promise<boolean> {
    return this.transaction(async (c) => {
      // The row must still hold exactly `from` (IS NOT DISTINCT FROM: NULL equals NULL). A
      // concurrent writer's UPDATE waits for this row lock and then re-checks the condition.
      const { rowCount } = await c.query(
        `UPDATE sessions SET status = $2, duration_ms = $3, started_at = $4, deadline = $5, ended_at = $6
         WHERE id = $1 AND status = $7 AND duration_ms = $8 AND started_at IS NOT DISTINCT FROM $9
           AND deadline IS NOT DISTINCT FROM $10 AND ended_at IS NOT DISTINCT FROM $11`,
        [sessionId, to.status, to.durationMs, to.startedAt, to.deadline, to.endedAt, from.status, from.durationMs, from.startedAt, from.deadline, from.endedAt],
      );
      if (!rowCount) return false;
      await this.insertEvent(c, sessionId, event);
      return true;
    });
  }

  async addEvent(sessionId: string, event: NewEvent): Promise<void> {
    await this.insertEvent(this.pool, sessionId, event);
  }

  private async insertEvent(c: Queryable, sessionId: string, e: NewEvent): Promise<void> {
    await c.query('INSERT INTO events (session_id, at, type, participant_id, data) VALUES ($1, $2, $3, $4, $5)', [
      sessionId,
      e.at,
      e.type,
      e.participantId ?? null,
      JSON.stringify(e.data),
    ]);
  }

  async listEvents(sessionId: string): Promise<EventRecord[]> {
    return (await this.rows<EventRow>('SELECT * FROM events WHERE session_id = $1 ORDER BY id', [sessionId])).map(toEvent);
  }

  async lastEvent(sessionId: string, type: TimelineEventType): Promise<EventRecord | undefined> {
    const [row] = await this.rows<EventRow>('SELECT * FROM events WHERE session_id = $1 AND type = $2 ORDER BY id DESC LIMIT 1', [sessionId, type]);
    return row && toEvent(row);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const [row] = await this.rows<TokenRow>('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return row && toToken(row);
  }

  async listTokens(sessionId: string): Promise<TokenRecord[]> {
    return (await this.rows<TokenRow>('SELECT * FROM tokens WHERE session_id = $1', [sessionId])).map(toToken);
  }

  async ensureParticipant(p: ParticipantRecord): Promise<ParticipantRecord> {
    await this.pool.query(
      'INSERT INTO participants (id, session_id, role, name, first_seen) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, role, name) DO NOTHING',
      [p.id, p.sessionId, p.role, p.name, p.firstSeen],
    );
    const [row] = await this.rows<ParticipantRow>('SELECT * FROM participants WHERE session_id = $1 AND role = $2 AND name = $3', [p.sessionId, p.role, p.name]);
    if (!row) throw new Error(`participant ${p.name} of session ${p.sessionId} vanished after insertion`);
    return toParticipant(row);
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return (await this.rows<ParticipantRow>('SELECT * FROM participants WHERE session_id = $1 ORDER BY first_seen, id COLLATE "C"', [sessionId])).map(toParticipant);
  }

  appendUpdate(record: NewUpdate): Promise<number> {
    return this.updates.append(record);
  }

  private async insertUpdate(c: Queryable, u: NewUpdate): Promise<number> {
    const [row] = await this.rows<{ id: number }>(
      'INSERT INTO doc_updates (session_id, at, participant_id, bytes) VALUES ($1, $2, $3, $4) RETURNING id',
      [u.sessionId, u.at, u.participantId, toBuffer(u.bytes)],
      c,
    );
    return row!.id;
  }

  async listUpdates(sessionId: string, afterId = 0, upToId = Number.MAX_SAFE_INTEGER): Promise<UpdateRecord[]> {
    const rows = await this.rows<UpdateRow>(
      'SELECT id, session_id, at, participant_id, bytes FROM doc_updates WHERE session_id = $1 AND id > $2 AND id <= $3 ORDER BY id',
      [sessionId, afterId, upToId],
    );
    return rows.map(toUpdate);
  }

  async lastUpdateId(sessionId: string): Promise<number> {
    const [row] = await this.rows<{ id: number | null }>('SELECT MAX(id) AS id FROM doc_updates WHERE session_id = $1', [sessionId]);
    return row?.id ?? 0;
  }

  async saveSnapshot(s: SnapshotRecord): Promise<void> {
    await this.pool.query('INSERT INTO snapshots (session_id, at, last_update_id, bytes) VALUES ($1, $2, $3, $4)', [s.sessionId, s.at, s.lastUpdateId, toBuffer(s.bytes)]);
  }

  async latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined> {
    return this.snapshotAtOrBefore(sessionId, Number.MAX_SAFE_INTEGER);
  }

  async snapshotAtOrBefore(sessionId: string, updateId: number): Promise<SnapshotRecord | undefined> {
    const [row] = await this.rows<SnapshotRow>(
      'SELECT * FROM snapshots WHERE session_id = $1 AND last_update_id <= $2 ORDER BY last_update_id DESC, id DESC LIMIT 1',
      [sessionId, updateId],
    );
    return row && toSnapshot(row);
  }

  async addRun(r: RunRecord): Promise<void> {
    await this.insertRun(this.pool, r);
  }

  private async insertRun(c: Queryable, r: RunRecord): Promise<void> {
    await c.query(
      'INSERT INTO runs (id, session_id, at, requested_at, kind, participant_id, update_id, source, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [r.id, r.sessionId, r.at, r.requestedAt, r.kind, r.participantId, r.updateId, r.source, JSON.stringify(r.result)],
    );
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    return (await this.rows<RunRow>('SELECT * FROM runs WHERE session_id = $1 ORDER BY at, seq', [sessionId])).map(toRun);
  }

  async hasFinalRun(sessionId: string): Promise<boolean> {
    return (await this.rows("SELECT 1 FROM runs WHERE session_id = $1 AND kind = 'final' LIMIT 1", [sessionId])).length > 0;
  }

  async addNote(n: NoteRecord): Promise<void> {
    await this.insertNote(this.pool, n);
  }

  private async insertNote(c: Queryable, n: NoteRecord): Promise<void> {
    await c.query('INSERT INTO notes (id, session_id, participant_id, at, text) VALUES ($1, $2, $3, $4, $5)', [n.id, n.sessionId, n.participantId, n.at, n.text]);
  }

  async listNotes(sessionId: string): Promise<NoteRecord[]> {
    return (await this.rows<NoteRow>('SELECT * FROM notes WHERE session_id = $1 ORDER BY at, seq', [sessionId])).map(toNote);
  }

  async setScorecard(c: ScorecardRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO scorecards (session_id, data, updated_at, author) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, author = excluded.author`,
      [c.sessionId, scorecardData(c), c.updatedAt, c.by],
    );
  }

  async getScorecard(sessionId: string): Promise<ScorecardRecord | undefined> {
    const [row] = await this.rows<ScorecardRow>('SELECT * FROM scorecards WHERE session_id = $1', [sessionId]);
    return row && toScorecard(row);
  }

  async getReferenceOutputs(key: string): Promise<ReferenceOutput[] | undefined> {
    const [row] = await this.rows<{ payload: string }>('SELECT payload FROM reference_outputs WHERE key = $1', [key]);
    if (!row) return undefined;
    const outputs = parseReferenceOutputs(row.payload);
    // A damaged row goes, so that outputs computed anew can take its place.
    if (!outputs) await this.pool.query('DELETE FROM reference_outputs WHERE key = $1 AND payload = $2', [key, row.payload]);
    return outputs;
  }

  async putReferenceOutputs(key: string, slug: string, outputs: ReferenceOutput[], at: number): Promise<boolean> {
    const result = await this.pool.query(
      'INSERT INTO reference_outputs (key, slug, payload, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
      [key, slug, referenceOutputsPayload(outputs), at],
    );
    return result.rowCount === 1;
  }

  async putFingerprints(f: FingerprintRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO fingerprints (session_id, slug, payload, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id) DO UPDATE SET slug = excluded.slug, payload = excluded.payload, created_at = excluded.created_at',
      [f.sessionId, f.slug, fingerprintsPayload(f.prints), f.createdAt],
    );
  }

  async listFingerprints(slug: string): Promise<FingerprintRecord[]> {
    const rows = await this.rows<{ session_id: string; payload: string; created_at: string | number }>('SELECT session_id, payload, created_at FROM fingerprints WHERE slug = $1 ORDER BY session_id', [slug]);
    return fingerprintRows(slug, rows);
  }

  async importSession(b: SessionBundle): Promise<void> {
    await this.transaction(async (c) => {
      await this.insertSession(c, b.session, b.tokens);
      for (const p of b.participants) {
        await c.query('INSERT INTO participants (id, session_id, role, name, first_seen) VALUES ($1, $2, $3, $4, $5)', [p.id, p.sessionId, p.role, p.name, p.firstSeen]);
      }
      // Update ids are this database's own: map the source's ids for the runs that refer to them.
      const newId = new Map<number, number>();
      for (const u of b.updates) newId.set(u.id, await this.insertUpdate(c, u));
      for (const r of b.runs) await this.insertRun(c, { ...r, updateId: r.updateId === null ? null : (newId.get(r.updateId) ?? null) });
      for (const e of b.events) await this.insertEvent(c, e.sessionId, e);
      for (const n of b.notes) await this.insertNote(c, n);
      for (const snap of b.snapshots) {
        await c.query('INSERT INTO snapshots (session_id, at, last_update_id, bytes) VALUES ($1, $2, $3, $4)', [snap.sessionId, snap.at, importedId(newId, snap.lastUpdateId), toBuffer(snap.bytes)]);
      }
      if (b.scorecard) {
        const s = b.scorecard;
        await c.query('INSERT INTO scorecards (session_id, data, updated_at, author) VALUES ($1, $2, $3, $4)', [s.sessionId, scorecardData(s), s.updatedAt, s.by]);
      }
      await c.query(`INSERT INTO imports (${IMPORT_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, importValues(b.origin));
    });
  }

  async getImport(sessionId: string): Promise<ImportRecord | undefined> {
    const [row] = await this.rows<ImportRow>('SELECT * FROM imports WHERE session_id = $1', [sessionId]);
    return row && toImport(row);
  }

  async findImport(contentHash: string): Promise<ImportRecord | undefined> {
    const [row] = await this.rows<ImportRow>('SELECT * FROM imports WHERE content_hash = $1', [contentHash]);
    return row && toImport(row);
  }

  /** Commits what is queued, then closes the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.updates.close();
    await this.pool.end();
  }
}
