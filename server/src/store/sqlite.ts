// SQLite implementation of Store (better-sqlite3); the file is opened and migrated by sqlite-db.ts.
// Document updates are group-committed (group-commit.ts, as in PostgreSQL): every appendUpdate
// issued in the same event-loop turn goes into one transaction (one fsync, ~0.4 ms here) instead
// of one fsync per keystroke. The writes are the statements both SQL stores share (statements.ts).
import path from 'node:path';
import type Database from 'better-sqlite3';
import { inSlices } from '../slices.ts';
import { GroupCommit } from './group-commit.ts';
import { fingerprintRows } from './fingerprints.ts';
import { SqliteAccounts } from './accounts-sqlite.ts';
import { parseReferenceOutputs } from './reference-outputs.ts';
import { openDatabase } from './sqlite-db.ts';
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

export class SqliteStore implements Store {
  readonly db: Database.Database;
  readonly accounts: SqliteAccounts;
  /** Updates issued in the same event-loop turn commit in one transaction (group-commit.ts). */
  private readonly updates = new GroupCommit({
    batch: async (updates) => {
      // Not into an import's transaction: after it, then in the same turn.
      while (this.importing) await this.importing;
      return this.db.transaction(() => updates.map((u) => this.insertUpdate(u)))();
    },
    one: async (update) => {
      while (this.importing) await this.importing;
      return this.insertUpdate(update);
    },
  });
  /**
   * Set while an import holds the connection in its transaction (importSession). Every other call
   * first waits it out with `while (this.importing) await this.importing;` and then touches the
   * database in the same turn, so no import can begin between its check and its statement.
   */
  private importing: Promise<void> | null = null;
  private closed = false;

  private readonly prepared = new Map<string, Database.Statement>();

  /** `file` is a path to the database file; its directory is created if missing. */
  constructor(file: string) {
    this.db = openDatabase(file);
    this.accounts = new SqliteAccounts(this.db, async () => {
      while (this.importing) await this.importing;
    });
  }

  /** Runs a shared write (statements.ts), each statement prepared once. */
  private run([sql, values]: write.Statement): Database.RunResult {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.db.prepare(sql)));
    return statement.run(...values);
  }

  async createSession(s: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void> {
    while (this.importing) await this.importing;
    this.db.transaction(() => {
      this.insertSession(s, tokens);
      this.run(write.insertUpdate({ sessionId: s.id, at: s.createdAt, participantId: null, bytes: starterUpdate }));
    })();
  }

  private insertSession(s: SessionRecord, tokens: TokenRecord[]): void {
    this.run(write.insertSession(s));
    for (const t of tokens) this.run(write.insertToken(t));
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    while (this.importing) await this.importing;
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row && toSession(row);
  }

  async listSessions(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    while (this.importing) await this.importing;
    const { where, args } = sessionWhere(filter);
    const sql = `SELECT * FROM sessions ${where} ORDER BY created_at DESC, id`;
    return (this.db.prepare(sql).all(...args) as SessionRow[]).map(toSession);
  }

  async setArchived(id: string, at: number | null): Promise<boolean> {
    while (this.importing) await this.importing;
    return this.db.prepare('UPDATE sessions SET archived_at = ? WHERE id = ?').run(at, id).changes > 0;
  }

  async deleteSession(id: string): Promise<boolean> {
    while (this.importing) await this.importing;
    return this.db.transaction(() => {
      // Children first (foreign keys); events and runs refer to participants.
      for (const table of SESSION_TABLES) {
        this.db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(id);
      }
      return this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id).changes > 0;
    })();
  }

  async addPracticeStart(owner: string, at: number): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertPracticeStart(owner, at));
  }

  async countPracticeStarts(owner: string, since: number): Promise<number> {
    while (this.importing) await this.importing;
    return (this.db.prepare('SELECT COUNT(*) AS n FROM practice_starts WHERE owner = ? AND at >= ?').get(owner, since) as { n: number }).n;
  }

  async setTimer(sessionId: string, from: TimerState, to: TimerState, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<boolean> {
    while (this.importing) await this.importing;
    return this.db.transaction(() => {
      // IS compares NULLs as equal: the row must hold exactly `from`.
      const changed = this.db
        .prepare(
          `UPDATE sessions SET status = ?, duration_ms = ?, started_at = ?, deadline = ?, ended_at = ?
           WHERE id = ? AND status = ? AND duration_ms = ? AND started_at IS ? AND deadline IS ? AND ended_at IS ?`,
        )
        .run(to.status, to.durationMs, to.startedAt, to.deadline, to.endedAt, sessionId, from.status, from.durationMs, from.startedAt, from.deadline, from.endedAt).changes;
      if (changed === 0) return false;
      this.run(write.insertEvent(sessionId, event));
      return true;
    })();
  }

  async addEvent(sessionId: string, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertEvent(sessionId, event));
  }

  async listEvents(sessionId: string): Promise<EventRecord[]> {
    while (this.importing) await this.importing;
    return (this.db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY id').all(sessionId) as EventRow[]).map(toEvent);
  }

  async lastEvent(sessionId: string, type: TimelineEventType): Promise<EventRecord | undefined> {
    while (this.importing) await this.importing;
    const row = this.db.prepare('SELECT * FROM events WHERE session_id = ? AND type = ? ORDER BY id DESC LIMIT 1').get(sessionId, type) as EventRow | undefined;
    return row && toEvent(row);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT * FROM tokens WHERE hash = ?').get(hash) as TokenRow | undefined;
    return r && toToken(r);
  }

  async listTokens(sessionId: string): Promise<TokenRecord[]> {
    while (this.importing) await this.importing;
    return (this.db.prepare('SELECT * FROM tokens WHERE session_id = ?').all(sessionId) as TokenRow[]).map(toToken);
  }

  async ensureParticipant(p: ParticipantRecord): Promise<ParticipantRecord> {
    while (this.importing) await this.importing;
    this.run(write.insertParticipant(p, true));
    const r = this.db.prepare('SELECT * FROM participants WHERE session_id = ? AND role = ? AND name = ?').get(p.sessionId, p.role, p.name) as ParticipantRow;
    return toParticipant(r);
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    while (this.importing) await this.importing;
    const rows = this.db.prepare('SELECT * FROM participants WHERE session_id = ? ORDER BY first_seen, id').all(sessionId) as ParticipantRow[];
    return rows.map(toParticipant);
  }

  appendUpdate(record: Omit<UpdateRecord, 'id'>): Promise<number> {
    return this.updates.append(record);
  }

  private insertUpdate(u: Omit<UpdateRecord, 'id'>): number {
    return Number(this.run(write.insertUpdate(u)).lastInsertRowid);
  }

  async listUpdates(sessionId: string, afterId = 0, upToId = Number.MAX_SAFE_INTEGER): Promise<UpdateRecord[]> {
    while (this.importing) await this.importing;
    const rows = this.db
      .prepare('SELECT id, session_id, at, participant_id, bytes FROM doc_updates WHERE session_id = ? AND id > ? AND id <= ? ORDER BY id')
      .all(sessionId, afterId, upToId) as UpdateRow[];
    return rows.map(toUpdate);
  }

  async lastUpdateId(sessionId: string): Promise<number> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT MAX(id) AS id FROM doc_updates WHERE session_id = ?').get(sessionId) as { id: number | null };
    return r.id ?? 0;
  }

  async saveSnapshot(s: SnapshotRecord): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertSnapshot(s));
  }

  async latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined> {
    while (this.importing) await this.importing;
    return this.snapshotAtOrBefore(sessionId, Number.MAX_SAFE_INTEGER);
  }

  async snapshotAtOrBefore(sessionId: string, updateId: number): Promise<SnapshotRecord | undefined> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT * FROM snapshots WHERE session_id = ? AND last_update_id <= ? ORDER BY last_update_id DESC, id DESC LIMIT 1').get(sessionId, updateId) as
      SnapshotRow | undefined;
    return r && toSnapshot(r);
  }

  async addRun(r: RunRecord): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertRun(r));
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    while (this.importing) await this.importing;
    return (this.db.prepare('SELECT * FROM runs WHERE session_id = ? ORDER BY at, rowid').all(sessionId) as RunRow[]).map(toRun);
  }

  async hasFinalRun(sessionId: string): Promise<boolean> {
    while (this.importing) await this.importing;
    return this.db.prepare("SELECT 1 FROM runs WHERE session_id = ? AND kind = 'final' LIMIT 1").get(sessionId) !== undefined;
  }

  async addNote(n: NoteRecord): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertNote(n));
  }

  async listNotes(sessionId: string): Promise<NoteRecord[]> {
    while (this.importing) await this.importing;
    return (this.db.prepare('SELECT * FROM notes WHERE session_id = ? ORDER BY at, rowid').all(sessionId) as NoteRow[]).map(toNote);
  }

  async setScorecard(c: ScorecardRecord): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.insertScorecard(c, true));
  }

  async getScorecard(sessionId: string): Promise<ScorecardRecord | undefined> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT * FROM scorecards WHERE session_id = ?').get(sessionId) as ScorecardRow | undefined;
    return r && toScorecard(r);
  }

  async getReferenceOutputs(key: string): Promise<ReferenceOutput[] | undefined> {
    while (this.importing) await this.importing;
    const row = this.db.prepare('SELECT payload FROM reference_outputs WHERE key = ?').get(key) as { payload: string } | undefined;
    if (!row) return undefined;
    const outputs = parseReferenceOutputs(row.payload);
    // A damaged row goes, so that outputs computed anew can take its place.
    if (!outputs) this.db.prepare('DELETE FROM reference_outputs WHERE key = ? AND payload = ?').run(key, row.payload);
    return outputs;
  }

  async putReferenceOutputs(key: string, slug: string, outputs: ReferenceOutput[], at: number): Promise<boolean> {
    const statement = write.insertReferenceOutputs(key, slug, outputs, at);
    while (this.importing) await this.importing;
    return this.run(statement).changes === 1;
  }

  /**
   * One transaction, written in slices with a turn of the event loop between them: 200,000
   * updates in one go held the server up for over a second. Meanwhile every other call waits its
   * turn, so that none writes into the import's transaction or sees it half done.
   */
  async importSession(b: SessionBundle): Promise<void> {
    while (this.importing) await this.importing;
    let done = () => {};
    this.importing = new Promise<void>((resolve) => (done = resolve));
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        await this.writeImport(b);
        this.db.exec('COMMIT');
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.importing = null;
      done();
    }
  }

  private async writeImport(b: SessionBundle): Promise<void> {
    this.insertSession(b.session, b.tokens);
    for (const p of b.participants) this.run(write.insertParticipant(p));
    // Update ids are this database's own: map the source's ids for the rows that refer to them.
    const newId = new Map<number, number>();
    await inSlices(b.updates, (u) => newId.set(u.id, this.insertUpdate(u)));
    await inSlices(b.runs, (r) => this.run(write.insertRun({ ...r, updateId: r.updateId === null ? null : (newId.get(r.updateId) ?? null) })));
    await inSlices(b.events, (e) => this.run(write.insertEvent(e.sessionId, e)));
    await inSlices(b.notes, (n) => this.run(write.insertNote(n)));
    if (b.scorecard) this.run(write.insertScorecard(b.scorecard));
    await inSlices(b.snapshots, (s) => this.run(write.insertSnapshot({ ...s, lastUpdateId: importedId(newId, s.lastUpdateId) })));
    this.run(write.insertImport(b.origin));
  }

  async getImport(sessionId: string): Promise<ImportRecord | undefined> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT * FROM imports WHERE session_id = ?').get(sessionId) as ImportRow | undefined;
    return r && toImport(r);
  }

  async findImport(contentHash: string): Promise<ImportRecord | undefined> {
    while (this.importing) await this.importing;
    const r = this.db.prepare('SELECT * FROM imports WHERE content_hash = ?').get(contentHash) as ImportRow | undefined;
    return r && toImport(r);
  }

  async putFingerprints(f: FingerprintRecord): Promise<void> {
    while (this.importing) await this.importing;
    this.run(write.upsertFingerprints(f));
  }

  async listFingerprints(slug: string): Promise<FingerprintRecord[]> {
    const rows = this.db.prepare('SELECT session_id, payload, created_at FROM fingerprints WHERE slug = ? ORDER BY session_id').all(slug) as {
      session_id: string;
      payload: string;
      created_at: number;
    }[];
    return fingerprintRows(slug, rows);
  }

  async close(): Promise<void> {
    while (this.importing) await this.importing;
    if (this.closed) return;
    await this.updates.close();
    while (this.importing) await this.importing;
    this.closed = true;
    this.db.close();
  }
}

/** The database file in `dataDir`. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'interviews.sqlite');
}

/** Opens (and migrates) the database file in `dataDir`. */
export function openSqliteStore(dataDir: string): SqliteStore {
  return new SqliteStore(sqliteFile(dataDir));
}
