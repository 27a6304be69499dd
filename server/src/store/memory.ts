// An in-memory Store for fast unit tests, held to the same contract as the SQL stores
// (tests/support/store-contract.ts): the same uniqueness and reference checks, the same orders,
// all-or-nothing multi-row writes (every check runs before anything changes), and copies in and
// out so a caller never holds the stored object.
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
import { fingerprintsPayload, fingerprintRows } from './fingerprints.ts';
import { MemoryAccounts } from './accounts-memory.ts';
import { parseReferenceOutputs, referenceOutputsPayload } from './reference-outputs.ts';
import { importedId } from './rows.ts';

type NewEvent = Omit<EventRecord, 'id' | 'sessionId'>;

const unique = (what: string) => new Error(`UNIQUE constraint failed: ${what}`);
const copy = <T>(value: T): T => structuredClone(value);
const sameTimer = (a: TimerState, b: TimerState) =>
  a.status === b.status && a.durationMs === b.durationMs && a.startedAt === b.startedAt && a.deadline === b.deadline && a.endedAt === b.endedAt;

export class MemoryStore implements Store {
  private sessions = new Map<string, SessionRecord>();
  private tokens = new Map<string, TokenRecord>();
  private participants = new Map<string, ParticipantRecord>();
  private updates: UpdateRecord[] = [];
  private snapshots: SnapshotRecord[] = [];
  private runs: RunRecord[] = [];
  private events: EventRecord[] = [];
  private notes: NoteRecord[] = [];
  private scorecards = new Map<string, ScorecardRecord>();
  private imports = new Map<string, ImportRecord>();
  private practiceStarts: { owner: string; at: number }[] = [];
  private nextUpdateId = 1;
  private nextEventId = 1;
  private closed = false;
  readonly accounts = new MemoryAccounts(() => this.sessions.values());
  /** Kept as the SQL stores keep them, JSON text checked when read; public so that tests can damage a row. */
  /** Fingerprint rows by session id, payloads as stored (tests damage them). */
  readonly fingerprintRows = new Map<string, { slug: string; payload: string; createdAt: number }>();
  readonly referenceRows = new Map<string, { slug: string; payload: string; createdAt: number }>();

  private mustExist(sessionId: string): void {
    if (this.closed) throw new Error('store closed');
    if (!this.sessions.has(sessionId)) throw new Error(`FOREIGN KEY constraint failed: no session ${sessionId}`);
  }

  /** As the SQL stores' foreign keys: a row may name only a participant that exists. */
  private mustKnow(participantId: string | null | undefined): void {
    if (participantId != null && !this.participants.has(participantId)) throw new Error(`FOREIGN KEY constraint failed: no participant ${participantId}`);
  }

  private checkNewSession(s: SessionRecord, tokens: TokenRecord[]): void {
    if (this.sessions.has(s.id)) throw unique(`sessions.id ${s.id}`);
    const roles = new Set<string>();
    for (const t of tokens) {
      if (t.sessionId !== s.id) throw new Error(`FOREIGN KEY constraint failed: token for session ${t.sessionId}`);
      if (this.tokens.has(t.hash) || tokens.filter((o) => o.hash === t.hash).length > 1) throw unique('tokens.hash');
      if (roles.has(t.role)) throw unique('tokens.session_id, tokens.role');
      roles.add(t.role);
    }
  }

  private insertSession(s: SessionRecord, tokens: TokenRecord[]): void {
    this.sessions.set(s.id, copy(s));
    for (const t of tokens) this.tokens.set(t.hash, copy(t));
  }

  private insertUpdate(u: Omit<UpdateRecord, 'id'>): number {
    const id = this.nextUpdateId++;
    this.updates.push({ id, sessionId: u.sessionId, at: u.at, participantId: u.participantId, bytes: u.bytes.slice() });
    return id;
  }

  async createSession(s: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void> {
    this.checkNewSession(s, tokens);
    this.insertSession(s, tokens);
    this.insertUpdate({ sessionId: s.id, at: s.createdAt, participantId: null, bytes: starterUpdate });
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const s = this.sessions.get(id);
    return s && copy(s);
  }

  async listSessions(filter: SessionFilter = {}): Promise<SessionRecord[]> {
    return [...this.sessions.values()]
      .filter(
        (s) =>
          (filter.status === undefined || s.status === filter.status) &&
          (filter.mode === undefined || s.mode === filter.mode) &&
          (filter.owner === undefined || s.owner === filter.owner) &&
          (filter.createdBefore === undefined || s.createdAt < filter.createdBefore) &&
          (filter.archived === undefined || (s.archivedAt !== null) === filter.archived),
      )
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }

  async setArchived(id: string, at: number | null): Promise<boolean> {
    const s = this.sessions.get(id);
    if (s) s.archivedAt = at;
    return s !== undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    const keep = <T extends { sessionId: string }>(rows: T[]) => rows.filter((r) => r.sessionId !== id);
    for (const [hash, t] of this.tokens) if (t.sessionId === id) this.tokens.delete(hash);
    for (const [pid, p] of this.participants) if (p.sessionId === id) this.participants.delete(pid);
    this.updates = keep(this.updates);
    this.snapshots = keep(this.snapshots);
    this.runs = keep(this.runs);
    this.events = keep(this.events);
    this.notes = keep(this.notes);
    this.scorecards.delete(id);
    this.imports.delete(id);
    this.fingerprintRows.delete(id);
    return this.sessions.delete(id);
  }

  async addPracticeStart(owner: string, at: number): Promise<void> {
    this.practiceStarts.push({ owner, at });
  }

  async countPracticeStarts(owner: string, since: number): Promise<number> {
    return this.practiceStarts.filter((p) => p.owner === owner && p.at >= since).length;
  }

  async setTimer(sessionId: string, from: TimerState, to: TimerState, event: NewEvent): Promise<boolean> {
    const s = this.sessions.get(sessionId);
    if (!s || !sameTimer(s, from)) return false;
    Object.assign(s, { status: to.status, durationMs: to.durationMs, startedAt: to.startedAt, deadline: to.deadline, endedAt: to.endedAt });
    this.insertEvent(sessionId, event);
    return true;
  }

  async addEvent(sessionId: string, event: NewEvent): Promise<void> {
    this.mustExist(sessionId);
    this.mustKnow(event.participantId);
    this.insertEvent(sessionId, event);
  }

  private insertEvent(sessionId: string, e: NewEvent): void {
    this.events.push({ id: this.nextEventId++, sessionId, at: e.at, type: e.type, participantId: e.participantId ?? null, data: copy(e.data) });
  }

  async listEvents(sessionId: string): Promise<EventRecord[]> {
    return this.events.filter((e) => e.sessionId === sessionId).map(copy);
  }

  async lastEvent(sessionId: string, type: TimelineEventType): Promise<EventRecord | undefined> {
    const found = this.events.findLast((e) => e.sessionId === sessionId && e.type === type);
    return found && copy(found);
  }

  async findToken(hash: string): Promise<TokenRecord | undefined> {
    const t = this.tokens.get(hash);
    return t && copy(t);
  }

  async listTokens(sessionId: string): Promise<TokenRecord[]> {
    return [...this.tokens.values()].filter((t) => t.sessionId === sessionId).map(copy);
  }

  async ensureParticipant(p: ParticipantRecord): Promise<ParticipantRecord> {
    this.mustExist(p.sessionId);
    const existing = [...this.participants.values()].find((o) => o.sessionId === p.sessionId && o.role === p.role && o.name === p.name);
    if (existing) return copy(existing);
    if (this.participants.has(p.id)) throw unique(`participants.id ${p.id}`);
    this.participants.set(p.id, copy(p));
    return copy(p);
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return [...this.participants.values()]
      .filter((p) => p.sessionId === sessionId)
      .sort((a, b) => a.firstSeen - b.firstSeen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map(copy);
  }

  async appendUpdate(u: Omit<UpdateRecord, 'id'>): Promise<number> {
    this.mustExist(u.sessionId);
    this.mustKnow(u.participantId);
    return this.insertUpdate(u);
  }

  async listUpdates(sessionId: string, afterId = 0, upToId = Number.MAX_SAFE_INTEGER): Promise<UpdateRecord[]> {
    return this.updates.filter((u) => u.sessionId === sessionId && u.id > afterId && u.id <= upToId).map((u) => ({ ...u, bytes: u.bytes.slice() }));
  }

  async lastUpdateId(sessionId: string): Promise<number> {
    return this.updates.reduce((max, u) => (u.sessionId === sessionId ? Math.max(max, u.id) : max), 0);
  }

  async saveSnapshot(s: SnapshotRecord): Promise<void> {
    this.mustExist(s.sessionId);
    this.snapshots.push({ ...s, bytes: s.bytes.slice() });
  }

  async latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined> {
    return this.snapshotAtOrBefore(sessionId, Number.MAX_SAFE_INTEGER);
  }

  async snapshotAtOrBefore(sessionId: string, updateId: number): Promise<SnapshotRecord | undefined> {
    let best: SnapshotRecord | undefined;
    // Later snapshots win ties, as the SQL stores' "ORDER BY last_update_id DESC, id DESC".
    for (const s of this.snapshots) {
      if (s.sessionId === sessionId && s.lastUpdateId <= updateId && (!best || s.lastUpdateId >= best.lastUpdateId)) best = s;
    }
    return best && { ...best, bytes: best.bytes.slice() };
  }

  private checkRun(r: RunRecord, others: RunRecord[]): void {
    this.mustExist(r.sessionId);
    this.mustKnow(r.participantId);
    if (others.some((o) => o.id === r.id)) throw unique(`runs.id ${r.id}`);
    if (r.kind === 'final' && others.some((o) => o.sessionId === r.sessionId && o.kind === 'final')) throw unique('runs.session_id (runs_one_final)');
  }

  async addRun(r: RunRecord): Promise<void> {
    this.checkRun(r, this.runs);
    this.runs.push(copy(r));
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    // A stable sort keeps insertion order among runs stored at the same millisecond.
    return this.runs
      .filter((r) => r.sessionId === sessionId)
      .sort((a, b) => a.at - b.at)
      .map(copy);
  }

  async hasFinalRun(sessionId: string): Promise<boolean> {
    return this.runs.some((r) => r.sessionId === sessionId && r.kind === 'final');
  }

  async addNote(n: NoteRecord): Promise<void> {
    this.mustExist(n.sessionId);
    this.mustKnow(n.participantId);
    if (this.notes.some((o) => o.id === n.id)) throw unique(`notes.id ${n.id}`);
    this.notes.push(copy(n));
  }

  async listNotes(sessionId: string): Promise<NoteRecord[]> {
    return this.notes
      .filter((n) => n.sessionId === sessionId)
      .sort((a, b) => a.at - b.at)
      .map(copy);
  }

  async setScorecard(card: ScorecardRecord): Promise<void> {
    this.mustExist(card.sessionId);
    this.scorecards.set(card.sessionId, copy(card));
  }

  async getScorecard(sessionId: string): Promise<ScorecardRecord | undefined> {
    const c = this.scorecards.get(sessionId);
    return c && copy(c);
  }

  async importSession(b: SessionBundle): Promise<void> {
    // All or nothing: the same checks as single writes, and the previous state back on a refusal.
    const saved = this.tables();
    try {
      this.checkNewSession(b.session, b.tokens);
      this.insertSession(b.session, b.tokens);
      for (const p of b.participants) {
        if (this.participants.has(p.id) || [...this.participants.values()].some((o) => o.sessionId === p.sessionId && o.role === p.role && o.name === p.name)) {
          throw unique(`participants ${p.id}`);
        }
        this.participants.set(p.id, copy(p));
      }
      // Update ids are this store's own: map the source's ids for the runs that refer to them.
      const newId = new Map<number, number>();
      for (const u of b.updates) {
        this.mustKnow(u.participantId);
        newId.set(u.id, this.insertUpdate(u));
      }
      for (const r of b.runs) await this.addRun({ ...r, updateId: r.updateId === null ? null : (newId.get(r.updateId) ?? null) });
      for (const e of b.events) await this.addEvent(e.sessionId, e);
      for (const n of b.notes) await this.addNote(n);
      if (b.scorecard) await this.setScorecard(b.scorecard);
      for (const s of b.snapshots) await this.saveSnapshot({ ...s, lastUpdateId: importedId(newId, s.lastUpdateId) });
      if ([...this.imports.values()].some((i) => i.contentHash === b.origin.contentHash)) throw unique(`imports content_hash ${b.origin.contentHash}`);
      this.imports.set(b.origin.sessionId, copy(b.origin));
    } catch (err) {
      Object.assign(this, saved);
      throw err;
    }
  }

  async getReferenceOutputs(key: string): Promise<ReferenceOutput[] | undefined> {
    const row = this.referenceRows.get(key);
    if (!row) return undefined;
    const outputs = parseReferenceOutputs(row.payload);
    // A damaged row goes, so that outputs computed anew can take its place.
    if (!outputs) this.referenceRows.delete(key);
    return outputs;
  }

  async putReferenceOutputs(key: string, slug: string, outputs: ReferenceOutput[], at: number): Promise<boolean> {
    if (this.closed) throw new Error('store closed');
    const payload = referenceOutputsPayload(outputs);
    if (this.referenceRows.has(key)) return false;
    this.referenceRows.set(key, { slug, payload, createdAt: at });
    return true;
  }

  async putFingerprints(f: FingerprintRecord): Promise<void> {
    if (this.closed) throw new Error('store closed');
    const payload = fingerprintsPayload(f.prints);
    if (!this.sessions.has(f.sessionId)) throw new Error(`unknown session ${f.sessionId}`);
    this.fingerprintRows.set(f.sessionId, { slug: f.slug, payload, createdAt: f.createdAt });
  }

  async listFingerprints(slug: string): Promise<FingerprintRecord[]> {
    const rows = [...this.fingerprintRows].filter(([, r]) => r.slug === slug).map(([id, r]) => ({ session_id: id, payload: r.payload, created_at: r.createdAt }));
    rows.sort((a, b) => (a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0));
    return fingerprintRows(slug, rows);
  }

  /** Shallow copies of every table (rows are never changed in place by an import). */
  private tables() {
    return {
      sessions: new Map(this.sessions),
      tokens: new Map(this.tokens),
      participants: new Map(this.participants),
      updates: [...this.updates],
      runs: [...this.runs],
      events: [...this.events],
      notes: [...this.notes],
      scorecards: new Map(this.scorecards),
      snapshots: [...this.snapshots],
      imports: new Map(this.imports),
    };
  }

  async getImport(sessionId: string): Promise<ImportRecord | undefined> {
    const i = this.imports.get(sessionId);
    return i && copy(i);
  }

  async findImport(contentHash: string): Promise<ImportRecord | undefined> {
    const i = [...this.imports.values()].find((x) => x.contentHash === contentHash);
    return i && copy(i);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
