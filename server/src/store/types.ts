// The one storage interface. Asynchronous so that a PostgreSQL implementation can sit behind it
// later; the SQLite implementation answers from a synchronous driver.
import type { Role, SessionStatus, Note } from '../../../common/protocol.ts';
import type { GradeResult } from '../../../common/exercise.ts';

export interface SessionRecord {
  id: string;
  exerciseSlug: string;
  candidateName: string;
  status: SessionStatus;
  createdAt: number;
  durationMs: number;
  startedAt: number | null;
  deadline: number | null;
  endedAt: number | null;
}

/** Timer fields that change together. */
export type TimerState = Pick<SessionRecord, 'status' | 'durationMs' | 'startedAt' | 'deadline' | 'endedAt'>;

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
  /** The snapshot contains every update with id <= lastUpdateId (and maybe some later ones). */
  lastUpdateId: number;
  bytes: Uint8Array;
}

export type RunKind = 'manual' | 'final';

export interface RunRecord {
  id: string;
  sessionId: string;
  at: number;
  kind: RunKind;
  /** null for the final grading done by the server. */
  participantId: string | null;
  result: GradeResult;
}

export type TimerEventType = 'start' | 'add' | 'end' | 'warning' | 'deadline';

export interface EventRecord {
  id: number;
  sessionId: string;
  at: number;
  type: TimerEventType;
  data: Record<string, unknown>;
}

export interface NoteRecord extends Note {
  sessionId: string;
  participantId: string | null;
}

export interface Store {
  /** Creates the session, its tokens and the first document update (the starter) atomically. */
  createSession(session: SessionRecord, tokens: TokenRecord[], starterUpdate: Uint8Array): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** Newest first. */
  listSessions(filter?: { status?: SessionStatus }): Promise<SessionRecord[]>;
  /** Updates the timer fields and records the event that caused it, atomically. */
  setTimer(sessionId: string, timer: TimerState, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<void>;
  addEvent(sessionId: string, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<void>;
  listEvents(sessionId: string): Promise<EventRecord[]>;

  findToken(hash: string): Promise<TokenRecord | undefined>;
  listTokens(sessionId: string): Promise<TokenRecord[]>;

  /** Returns the existing participant with this (session, role, name) or creates it. */
  ensureParticipant(p: ParticipantRecord): Promise<ParticipantRecord>;
  listParticipants(sessionId: string): Promise<ParticipantRecord[]>;

  /** Durable when the promise resolves. Returns the update id (increasing). */
  appendUpdate(u: Omit<UpdateRecord, 'id'>): Promise<number>;
  /** Updates with id > afterId, in id order. */
  listUpdates(sessionId: string, afterId?: number): Promise<UpdateRecord[]>;
  saveSnapshot(s: SnapshotRecord): Promise<void>;
  latestSnapshot(sessionId: string): Promise<SnapshotRecord | undefined>;

  addRun(r: RunRecord): Promise<void>;
  /** Oldest first. */
  listRuns(sessionId: string): Promise<RunRecord[]>;
  hasFinalRun(sessionId: string): Promise<boolean>;

  addNote(n: NoteRecord): Promise<void>;
  /** Oldest first. */
  listNotes(sessionId: string): Promise<NoteRecord[]>;

  close(): Promise<void>;
}
