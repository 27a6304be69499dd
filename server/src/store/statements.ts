// The writes both SQL stores make, spelled once: each statement with `?` placeholders (the
// PostgreSQL store numbers them) and the record's values in the order of its columns, so that a
// new column is added in one place. The reads stay in each store: they differ in ordering details
// (listSessions' filter is shared too: rows.ts).
import { fingerprintsPayload } from './fingerprints.ts';
import { referenceOutputsPayload } from './reference-outputs.ts';
import { scorecardData, toBuffer } from './rows.ts';
import type {
  EventRecord,
  FingerprintRecord,
  ImportRecord,
  NoteRecord,
  ParticipantRecord,
  ReferenceOutput,
  RunRecord,
  ScorecardRecord,
  SessionRecord,
  SnapshotRecord,
  TokenRecord,
  UpdateRecord,
} from './types.ts';

export type Statement = [sql: string, values: unknown[]];

export const insertSession = (s: SessionRecord): Statement => [
  `INSERT INTO sessions (id, mode, owner, exercise_slug, candidate_name, status, created_at, duration_ms, started_at, deadline, ended_at, archived_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  [s.id, s.mode, s.owner, s.exerciseSlug, s.candidateName, s.status, s.createdAt, s.durationMs, s.startedAt, s.deadline, s.endedAt, s.archivedAt],
];

export const insertToken = (t: TokenRecord): Statement => ['INSERT INTO tokens (hash, session_id, role, sealed) VALUES (?, ?, ?, ?)', [t.hash, t.sessionId, t.role, t.sealed]];

/** `ifAbsent`: a participant already there under the same session, role and name is kept as is. */
export const insertParticipant = (p: ParticipantRecord, ifAbsent = false): Statement => [
  `INSERT INTO participants (id, session_id, role, name, first_seen) VALUES (?, ?, ?, ?, ?)${ifAbsent ? ' ON CONFLICT (session_id, role, name) DO NOTHING' : ''}`,
  [p.id, p.sessionId, p.role, p.name, p.firstSeen],
];

/** The store gives the update its id. */
export const insertUpdate = (u: Omit<UpdateRecord, 'id'>): Statement => [
  'INSERT INTO doc_updates (session_id, at, participant_id, bytes) VALUES (?, ?, ?, ?)',
  [u.sessionId, u.at, u.participantId, toBuffer(u.bytes)],
];

export const insertSnapshot = (s: SnapshotRecord): Statement => [
  'INSERT INTO snapshots (session_id, at, last_update_id, bytes) VALUES (?, ?, ?, ?)',
  [s.sessionId, s.at, s.lastUpdateId, toBuffer(s.bytes)],
];

export const insertEvent = (sessionId: string, e: Omit<EventRecord, 'id' | 'sessionId'>): Statement => [
  'INSERT INTO events (session_id, at, type, participant_id, data) VALUES (?, ?, ?, ?, ?)',
  [sessionId, e.at, e.type, e.participantId ?? null, JSON.stringify(e.data)],
];

export const insertRun = (r: RunRecord): Statement => [
  'INSERT INTO runs (id, session_id, at, requested_at, kind, participant_id, update_id, source, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  [r.id, r.sessionId, r.at, r.requestedAt, r.kind, r.participantId, r.updateId, r.source, JSON.stringify(r.result)],
];

export const insertNote = (n: NoteRecord): Statement => [
  'INSERT INTO notes (id, session_id, participant_id, at, text) VALUES (?, ?, ?, ?, ?)',
  [n.id, n.sessionId, n.participantId, n.at, n.text],
];

/** `replace`: the session's scorecard, if it has one, is overwritten (setScorecard; an import writes the first). */
export const insertScorecard = (c: ScorecardRecord, replace = false): Statement => [
  `INSERT INTO scorecards (session_id, data, updated_at, author) VALUES (?, ?, ?, ?)${
    replace ? ' ON CONFLICT (session_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, author = excluded.author' : ''
  }`,
  [c.sessionId, scorecardData(c), c.updatedAt, c.by],
];

export const insertImport = (i: ImportRecord): Statement => [
  'INSERT INTO imports (session_id, imported_at, source, exported_at, content_hash) VALUES (?, ?, ?, ?, ?)',
  [i.sessionId, i.importedAt, i.source, i.exportedAt, i.contentHash],
];

export const insertPracticeStart = (owner: string, at: number): Statement => ['INSERT INTO practice_starts (owner, at) VALUES (?, ?)', [owner, at]];

/** The first outputs stored under a key stay; the statement changes no row when some are there. */
export const insertReferenceOutputs = (key: string, slug: string, outputs: ReferenceOutput[], at: number): Statement => [
  'INSERT INTO reference_outputs (key, slug, payload, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
  [key, slug, referenceOutputsPayload(outputs), at],
];

export const upsertFingerprints = (f: FingerprintRecord): Statement => [
  'INSERT INTO fingerprints (session_id, slug, payload, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET slug = excluded.slug, payload = excluded.payload, created_at = excluded.created_at',
  [f.sessionId, f.slug, fingerprintsPayload(f.prints), f.createdAt],
];
