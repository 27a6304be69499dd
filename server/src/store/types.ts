// The one storage interface, implemented by SQLite (default), PostgreSQL (DATABASE_URL) and an
// in-memory store for tests; tests/support/store-contract.ts holds all three to the same behaviour.
// Several server nodes may share one PostgreSQL database, so nothing here may assume one writer:
// - ids never collide across nodes: sessions, participants, runs and notes get random ids from the
//   service (crypto.randomBytes / randomUUID); updates, events, snapshots and practice starts get
//   theirs from the database's own sequence, which is shared by every node on that database;
// - timer changes are conditional on the state they come from (setTimer);
// - at most one final run per session is enforced by a unique index (runs_one_final).
import type { Role, SessionStatus, Note } from '../../../common/protocol.ts';
import type { GradeResult } from '../../../common/exercise.ts';
import type { Mode } from '../../../common/policy.ts';
import type { Scorecard, TimelineEventType } from '../../../common/review.ts';
import type { AccountStore } from './accounts.ts';

export interface SessionRecord {
  id: string;
  mode: Mode;
  /** Practice attempts: sha256 of the owning browser's identity cookie; null for interviews. */
  owner: string | null;
  exerciseSlug: string;
  candidateName: string;
  status: SessionStatus;
  createdAt: number;
  durationMs: number;
  startedAt: number | null;
  deadline: number | null;
  endedAt: number | null;
  /** When a mentor archived it (hidden from the dashboard's default list); null otherwise. */
  archivedAt: number | null;
}

/** Timer fields that change together. */
export type TimerState = Pick<SessionRecord, 'status' | 'durationMs' | 'startedAt' | 'deadline' | 'endedAt'>;

export interface SessionFilter {
  status?: SessionStatus;
  mode?: Mode;
  /** A practice identity's attempts; null: sessions no identity owns (interviews, imports). */
  owner?: string | null;
  createdBefore?: number;
  /** true: archived sessions only; false: sessions not archived; undefined: both. */
  archived?: boolean;
}

export interface TokenRecord {
  /** sha256 of the token, hex. */
  hash: string;
  sessionId: string;
  role: Role | 'review';
  /** The token encrypted with the link key, so mentors can list links again. */
  sealed: string;
}

export interface ParticipantRecord {
  id: string;
  sessionId: string;
  role: Role;
  name: string;
  firstSeen: number;
}

export interface UpdateRecord {
  id: number;
  sessionId: string;
  at: number;
  /** null for updates made by the server (the starter). */
  participantId: string | null;
  bytes: Uint8Array;
}

export interface SnapshotRecord {
  sessionId: string;
  at: number;
  /** The snapshot contains exactly the updates with id <= lastUpdateId. */
  lastUpdateId: number;
  bytes: Uint8Array;
}

export type RunKind = 'manual' | 'final';

export interface RunRecord {
  id: string;
  sessionId: string;
  /** When the result was stored. */
  at: number;
  /** When the run was asked for (the code was read then). */
  requestedAt: number;
  kind: RunKind;
  /** null for the final grading done by the server. */
  participantId: string | null;
  /** The last stored document update the graded code holds; null for runs stored before it was kept. */
  updateId: number | null;
  /** The code that was graded; null for runs stored before it was kept. */
  source: string | null;
  result: GradeResult;
}

export interface EventRecord {
  id: number;
  sessionId: string;
  at: number;
  type: TimelineEventType;
  /** The participant the event is about (joins, leaves, integrity signals). */
  participantId?: string | null;
  data: Record<string, unknown>;
}

export interface ScorecardRecord extends Scorecard {
  sessionId: string;
}

/** A whole session as an import writes it: every row, ids as in the source (remapped by the store). */
export interface SessionBundle {
  session: SessionRecord;
  tokens: TokenRecord[];
  participants: ParticipantRecord[];
  /** In order; `id` is the source's id, which runs' updateId refer to. */
  updates: UpdateRecord[];
  runs: RunRecord[];
  events: Omit<EventRecord, 'id'>[];
  notes: NoteRecord[];
  scorecard: ScorecardRecord | null;
  /** `lastUpdateId` is a source id, like runs' updateId. */
  snapshots: SnapshotRecord[];
  /** Where it came from; a second import of the same content is refused (unique contentHash). */
  origin: ImportRecord;
}

/** Where an imported session came from: one per imported session, written with it. */
export interface ImportRecord {
  sessionId: string;
  importedAt: number;
  /** What it was imported from: the exporting server's address, else the file's name (or "a file"). */
  source: string;
  /** When the source exported it. */
  exportedAt: number;
  /** sha256 of the export's content (its export time aside): one import per content (unique). */
  contentHash: string;
}

/** What an exercise's reference solution did on one test case (the runner's `Expected`). */
export interface ReferenceOutput {
  stdout: string;
  exitCode: number;
  ms: number;
  fuel: number;
}

export interface NoteRecord extends Note {
  sessionId: string;
  participantId: string | null;
}

/** One fingerprint of server/src/similarity: a k-gram hash (uint32) and the lines it spans. */
export interface StoredFingerprint {
  hash: number;
  startLine: number;
  endLine: number;
}

/** A session's fingerprints, computed from its final submission (the starter's already removed). */
export interface FingerprintRecord {
  sessionId: string;
  slug: string;
  prints: StoredFingerprint[];
  createdAt: number;
}

export interface Store {
  /** Mentor accounts, sign-ins, tokens, invites, interview owners and shares, the audit log. */
  readonly accounts: AccountStore;
  /** Creates the session, its tokens and the first document update (the starter) atomically. */
  createSession(session: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** Newest first. */
  listSessions(filter?: SessionFilter): Promise<SessionRecord[]>;
  /** Archives (at a time) or unarchives (null) a session. False when there was none. */
  setArchived(id: string, at: number | null): Promise<boolean>;
  /** Removes the session and everything recorded in it. False when there was none. */
  deleteSession(id: string): Promise<boolean>;
  /** Records that `owner` started a practice attempt (kept when the attempt is deleted). */
  addPracticeStart(owner: string, at: number): Promise<void>;
  /** Practice attempts `owner` started at or after `since`. */
  countPracticeStarts(owner: string, since: number): Promise<number>;
  /**
   * Moves the timer from `from` to `to` and records the event that caused it, atomically, but only
   * if the stored timer still equals `from` (another node may have changed it meanwhile). Returns
   * whether it applied; when it did not, nothing was written.
   */
  setTimer(sessionId: string, from: TimerState, to: TimerState, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<boolean>;
  addEvent(sessionId: string, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<void>;
  listEvents(sessionId: string): Promise<EventRecord[]>;
  /** The session's most recent event of this type (by id), if any. */
  lastEvent(sessionId: string, type: TimelineEventType): Promise<EventRecord | undefined>;

  findToken(hash: string): Promise<TokenRecord | undefined>;
  listTokens(sessionId: string): Promise<TokenRecord[]>;

  /** Returns the existing participant with this (session, role, name) or creates it. */
  ensureParticipant(p: ParticipantRecord): Promise<ParticipantRecord>;
  listParticipants(sessionId: string): Promise<ParticipantRecord[]>;

  /** Durable when the promise resolves. Returns the update id (increasing). */
  appendUpdate(u: Omit<UpdateRecord, 'id'>): Promise<number>;
  /** Updates with afterId < id <= upToId, in id order. */
  listUpdates(sessionId: string, afterId?: number, upToId?: number): Promise<UpdateRecord[]>;
  /** Id of the session's newest stored update (0 when none). */
  lastUpdateId(sessionId: string): Promise<number>;
  saveSnapshot(s: SnapshotRecord): Promise<void>;
  latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined>;
  /** The newest snapshot holding no update after `updateId`. */
  snapshotAtOrBefore(sessionId: string, updateId: number): Promise<SnapshotRecord | undefined>;

  /** Refuses (rejects) a second run of kind 'final' for a session: at most one final grading. */
  addRun(r: RunRecord): Promise<void>;
  /** Oldest first. */
  listRuns(sessionId: string): Promise<RunRecord[]>;
  hasFinalRun(sessionId: string): Promise<boolean>;

  addNote(n: NoteRecord): Promise<void>;
  /** Oldest first. */
  listNotes(sessionId: string): Promise<NoteRecord[]>;

  setScorecard(card: ScorecardRecord): Promise<void>;
  getScorecard(sessionId: string): Promise<ScorecardRecord | undefined>;

  /**
   * Writes a whole imported session atomically (all or nothing); update ids are assigned anew.
   * A large one must not hold up the event loop (SQLite writes it in slices, see sqlite.ts).
   */
  importSession(bundle: SessionBundle): Promise<void>;
  /** Where an imported session came from; undefined for a session recorded here. */
  getImport(sessionId: string): Promise<ImportRecord | undefined>;
  /** The import of an export with this content hash, if one was imported. */
  findImport(contentHash: string): Promise<ImportRecord | undefined>;

  /**
   * The reference outputs stored under `key` (an exercise's content key, runner/core/grade.ts), or
   * undefined. A stored payload that does not validate is removed and reported absent.
   */
  getReferenceOutputs(key: string): Promise<ReferenceOutput[] | undefined>;
  /**
   * Stores the outputs unless `key` has some already (the same key means the same content, so the
   * first writer's are as good); true when written. Rejects outputs that would not validate.
   */
  putReferenceOutputs(key: string, slug: string, outputs: ReferenceOutput[], at: number): Promise<boolean>;

  /** Stores (or replaces) a session's similarity fingerprints. Rejects fingerprints that would not validate. */
  putFingerprints(record: FingerprintRecord): Promise<void>;
  /** Every stored fingerprint row of an exercise; a row whose payload does not validate is left out. */
  listFingerprints(slug: string): Promise<FingerprintRecord[]>;

  close(): Promise<void>;
}

/** Just the timer fields of a session (or of anything holding them). */
export function timerOf(s: TimerState): TimerState {
  return { status: s.status, durationMs: s.durationMs, startedAt: s.startedAt, deadline: s.deadline, endedAt: s.endedAt };
}
