// Database rows (snake_case, as both SQL stores return them) to records, shared by the SQLite and
// PostgreSQL stores. Integers arrive as numbers (the PostgreSQL store parses BIGINT itself) and
// binary columns as Buffers.
import type { GradeResult } from '../../../common/exercise.ts';
import type { Role, SessionStatus } from '../../../common/protocol.ts';
import type {
  EventRecord,
  ImportRecord,
  NoteRecord,
  ParticipantRecord,
  RunRecord,
  ScorecardRecord,
  SessionFilter,
  SessionRecord,
  SnapshotRecord,
  TokenRecord,
  UpdateRecord,
} from './types.ts';

export interface SessionRow {
  id: string;
  mode: SessionRecord['mode'];
  owner: string | null;
  exercise_slug: string;
  candidate_name: string;
  status: SessionStatus;
  created_at: number;
  duration_ms: number;
  started_at: number | null;
  deadline: number | null;
  ended_at: number | null;
  archived_at: number | null;
}

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  mode: r.mode,
  owner: r.owner,
  exerciseSlug: r.exercise_slug,
  candidateName: r.candidate_name,
  status: r.status,
  createdAt: r.created_at,
  durationMs: r.duration_ms,
  startedAt: r.started_at,
  deadline: r.deadline,
  endedAt: r.ended_at,
  archivedAt: r.archived_at,
});

/** A view of the Buffer's bytes (no copy). */
export const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** A Buffer over the same bytes (no copy), as the drivers want for binary parameters. */
export const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export interface TokenRow {
  hash: string;
  session_id: string;
  role: TokenRecord['role'];
  sealed: string;
}
export const toToken = (r: TokenRow): TokenRecord => ({ hash: r.hash, sessionId: r.session_id, role: r.role, sealed: r.sealed });

export interface ParticipantRow {
  id: string;
  session_id: string;
  role: Role;
  name: string;
  first_seen: number;
}
export const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  sessionId: r.session_id,
  role: r.role,
  name: r.name,
  firstSeen: r.first_seen,
});

export interface EventRow {
  id: number;
  session_id: string;
  at: number;
  type: EventRecord['type'];
  participant_id: string | null;
  data: string;
}
export const toEvent = (r: EventRow): EventRecord => ({
  id: r.id,
  sessionId: r.session_id,
  at: r.at,
  type: r.type,
  participantId: r.participant_id,
  data: JSON.parse(r.data) as Record<string, unknown>,
});

export interface UpdateRow {
  id: number;
  session_id: string;
  at: number;
  participant_id: string | null;
  bytes: Buffer;
}
export const toUpdate = (r: UpdateRow): UpdateRecord => ({
  id: r.id,
  sessionId: r.session_id,
  at: r.at,
  participantId: r.participant_id,
  bytes: toBytes(r.bytes),
});

export interface SnapshotRow {
  session_id: string;
  at: number;
  last_update_id: number;
  bytes: Buffer;
}
export const toSnapshot = (r: SnapshotRow): SnapshotRecord => ({
  sessionId: r.session_id,
  at: r.at,
  lastUpdateId: r.last_update_id,
  bytes: toBytes(r.bytes),
});

export interface RunRow {
  id: string;
  session_id: string;
  at: number;
  requested_at: number | null;
  kind: RunRecord['kind'];
  participant_id: string | null;
  update_id: number | null;
  source: string | null;
  result: string;
}
export const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  sessionId: r.session_id,
  at: r.at,
  requestedAt: r.requested_at ?? r.at,
  kind: r.kind,
  participantId: r.participant_id,
  updateId: r.update_id,
  source: r.source,
  result: JSON.parse(r.result) as GradeResult,
});

export interface NoteRow {
  id: string;
  session_id: string;
  participant_id: string | null;
  at: number;
  text: string;
}
export const toNote = (r: NoteRow): NoteRecord => ({ id: r.id, sessionId: r.session_id, participantId: r.participant_id, at: r.at, text: r.text });

export interface ScorecardRow {
  session_id: string;
  data: string;
  updated_at: number;
  author: string;
}
/** The scorecard's marks and text, stored as one JSON column. */
export const scorecardData = (c: ScorecardRecord): string => JSON.stringify({ overall: c.overall, criteria: c.criteria, text: c.text });
export const toScorecard = (r: ScorecardRow): ScorecardRecord => {
  const data = JSON.parse(r.data) as Pick<ScorecardRecord, 'overall' | 'criteria' | 'text'>;
  return { sessionId: r.session_id, ...data, updatedAt: r.updated_at, by: r.author };
};

/** An imported snapshot's update id in this store (`newId`: source id -> the id the store gave it). */
export function importedId(newId: ReadonlyMap<number, number>, sourceId: number): number {
  const id = newId.get(sourceId);
  if (id === undefined) throw new Error(`import: snapshot after update ${sourceId}, which is not in the import`);
  return id;
}

/** listSessions' WHERE clause (empty without conditions) with `?` placeholders, and its values. */
export function sessionWhere(filter: SessionFilter): { where: string; args: (string | number)[] } {
  const clauses: string[] = [];
  const args: (string | number)[] = [];
  const add = (clause: string, value?: string | number) => {
    clauses.push(clause);
    if (value !== undefined) args.push(value);
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.mode) add('mode = ?', filter.mode);
  if (filter.owner === null) add('owner IS NULL');
  else if (filter.owner !== undefined) add('owner = ?', filter.owner);
  if (filter.createdBefore !== undefined) add('created_at < ?', filter.createdBefore);
  if (filter.archived !== undefined) add(filter.archived ? 'archived_at IS NOT NULL' : 'archived_at IS NULL');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/** Tables holding a session's rows, children first (foreign keys): deleteSession empties them in this order. */
export const SESSION_TABLES = ['fingerprints', 'imports', 'scorecards', 'notes', 'events', 'runs', 'snapshots', 'doc_updates', 'participants', 'tokens'] as const;

export interface ImportRow {
  session_id: string;
  imported_at: number;
  source: string;
  exported_at: number;
  content_hash: string;
}
export const toImport = (r: ImportRow): ImportRecord => ({
  sessionId: r.session_id,
  importedAt: r.imported_at,
  source: r.source,
  exportedAt: r.exported_at,
  contentHash: r.content_hash,
});
