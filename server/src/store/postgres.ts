// PostgreSQL implementation of Store (pg Pool), selected by DATABASE_URL. Behaves as the SQLite
// store does (tests/support/store-contract.ts runs both), and several server nodes may share one
// database: migrations run under an advisory lock (postgres-pool.ts), timer changes are
// conditional, the final run is unique by index, and ids come from random values or from the
// database's sequences. The writes are the statements both SQL stores share (statements.ts).
// Document updates are group-committed like SQLite's (group-commit.ts): the updates issued while
// the previous batch commits go into the next transaction together.
import type pg from 'pg';
import { GroupCommit, type NewUpdate } from './group-commit.ts';
import { fingerprintRows } from './fingerprints.ts';
import { PostgresAccounts } from './accounts-postgres.ts';
import { parseReferenceOutputs } from './reference-outputs.ts';
import { createPool, migratePostgres, numbered, transaction, type Queryable } from './postgres-pool.ts';
import * as write from './statements.ts';
import {
  importedId,
  SESSION_TABLES,
  sessionWhere,
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

type NewEvent = Omit<EventRecord, 'id' | 'sessionId'>;

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
    const pool = createPool(url);
    try {
      await migratePostgres(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  private transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  /** Runs a shared write (statements.ts) on `db`; the number of rows it changed. */
  private async run([sql, values]: write.Statement, db: Queryable = this.pool): Promise<number> {
    return (await db.query(numbered(sql), values)).rowCount ?? 0;
  }

  private async rows<R extends pg.QueryResultRow>(sql: string, args: unknown[] = [], db: Queryable = this.pool): Promise<R[]> {
    return (await db.query<R>(sql, args)).rows;
  }

  async createSession(s: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void> {
    await this.transaction(async (c) => {
      await this.insertSession(c, s, tokens);
      await this.run(write.insertUpdate({ sessionId: s.id, at: s.createdAt, participantId: null, bytes: starterUpdate }), c);
    });
  }

  private async insertSession(c: Queryable, s: SessionRecord, tokens: TokenRecord[]): Promise<void> {
    await this.run(write.insertSession(s), c);
    for (const t of tokens) await this.run(write.insertToken(t), c);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const [row] = await this.rows<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return row && toSession(row);
  }

  async listSessions(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    const { where, args } = sessionWhere(filter);
    // Ties are broken by id in byte order (COLLATE "C"), as SQLite and the memory store do.
    const sql = numbered(`SELECT * FROM sessions ${where} ORDER BY created_at DESC, id COLLATE "C"`);
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
    await this.run(write.insertPracticeStart(owner, at));
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
      await this.run(write.insertEvent(sessionId, event), c);
      return true;
    });
  }

  async addEvent(sessionId: string, event: NewEvent): Promise<void> {
    await this.run(write.insertEvent(sessionId, event));
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
    await this.run(write.insertParticipant(p, true));
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
    const [sql, values] = write.insertUpdate(u);
    const [row] = await this.rows<{ id: number }>(numbered(`${sql} RETURNING id`), values, c);
    return row!.id;
  }

  async listUpdates(sessionId: string, afterId = 0, upToId = Number.MAX_SAFE_INTEGER): Promise<UpdateRecord[]> {
    const rows = await this.rows<UpdateRow>('SELECT id, session_id, at, participant_id, bytes FROM doc_updates WHERE session_id = $1 AND id > $2 AND id <= $3 ORDER BY id', [
      sessionId,
      afterId,
      upToId,
    ]);
    return rows.map(toUpdate);
  }

  async lastUpdateId(sessionId: string): Promise<number> {
    const [row] = await this.rows<{ id: number | null }>('SELECT MAX(id) AS id FROM doc_updates WHERE session_id = $1', [sessionId]);
    return row?.id ?? 0;
  }

  async saveSnapshot(s: SnapshotRecord): Promise<void> {
    await this.run(write.insertSnapshot(s));
  }

  async latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined> {
    return this.snapshotAtOrBefore(sessionId, Number.MAX_SAFE_INTEGER);
  }

  async snapshotAtOrBefore(sessionId: string, updateId: number): Promise<SnapshotRecord | undefined> {
    const [row] = await this.rows<SnapshotRow>('SELECT * FROM snapshots WHERE session_id = $1 AND last_update_id <= $2 ORDER BY last_update_id DESC, id DESC LIMIT 1', [
      sessionId,
      updateId,
    ]);
    return row && toSnapshot(row);
  }

  async addRun(r: RunRecord): Promise<void> {
    await this.run(write.insertRun(r));
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    return (await this.rows<RunRow>('SELECT * FROM runs WHERE session_id = $1 ORDER BY at, seq', [sessionId])).map(toRun);
  }

  async hasFinalRun(sessionId: string): Promise<boolean> {
    return (await this.rows("SELECT 1 FROM runs WHERE session_id = $1 AND kind = 'final' LIMIT 1", [sessionId])).length > 0;
  }

  async addNote(n: NoteRecord): Promise<void> {
    await this.run(write.insertNote(n));
  }

  async listNotes(sessionId: string): Promise<NoteRecord[]> {
    return (await this.rows<NoteRow>('SELECT * FROM notes WHERE session_id = $1 ORDER BY at, seq', [sessionId])).map(toNote);
  }

  async setScorecard(c: ScorecardRecord): Promise<void> {
    await this.run(write.insertScorecard(c, true));
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
    return (await this.run(write.insertReferenceOutputs(key, slug, outputs, at))) === 1;
  }

  async putFingerprints(f: FingerprintRecord): Promise<void> {
    await this.run(write.upsertFingerprints(f));
  }

  async listFingerprints(slug: string): Promise<FingerprintRecord[]> {
    const rows = await this.rows<{ session_id: string; payload: string; created_at: string | number }>(
      'SELECT session_id, payload, created_at FROM fingerprints WHERE slug = $1 ORDER BY session_id',
      [slug],
    );
    return fingerprintRows(slug, rows);
  }

  async importSession(b: SessionBundle): Promise<void> {
    await this.transaction(async (c) => {
      await this.insertSession(c, b.session, b.tokens);
      for (const p of b.participants) await this.run(write.insertParticipant(p), c);
      // Update ids are this database's own: map the source's ids for the runs that refer to them.
      const newId = new Map<number, number>();
      for (const u of b.updates) newId.set(u.id, await this.insertUpdate(c, u));
      for (const r of b.runs) await this.run(write.insertRun({ ...r, updateId: r.updateId === null ? null : (newId.get(r.updateId) ?? null) }), c);
      for (const e of b.events) await this.run(write.insertEvent(e.sessionId, e), c);
      for (const n of b.notes) await this.run(write.insertNote(n), c);
      for (const snap of b.snapshots) await this.run(write.insertSnapshot({ ...snap, lastUpdateId: importedId(newId, snap.lastUpdateId) }), c);
      if (b.scorecard) await this.run(write.insertScorecard(b.scorecard), c);
      await this.run(write.insertImport(b.origin), c);
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
