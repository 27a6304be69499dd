// Import of an exported session, to replay it on another server. Everything is checked before
// anything is written: the shape (zod), the relations between ids, every document update (decoded,
// plain text only, no missing dependencies), and the exercise being installed here. A bad document
// gets an error that names what is wrong; a good one is written in one transaction.
import crypto from 'node:crypto';
import * as Y from 'yjs';
import { SCRATCH_TEXT } from '../../../common/console.ts';
import { DOC_TEXT, LIMITS } from '../../../common/protocol.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import { checkUpdate } from '../sessions/doc.ts';
import { ServiceError } from '../sessions/errors.ts';
import { hashToken, newToken, participantId, seal, type Keys } from '../sessions/tokens.ts';
import type { SessionBundle, SessionRecord } from '../store/types.ts';
import { ExportSchema, type SessionExport } from './export-schema.ts';

const bad = (message: string) => new ServiceError('bad_request', `Invalid session export: ${message}`);

export function parseExport(body: unknown): SessionExport {
  if (typeof body === 'object' && body !== null && 'format' in body && 'version' in body && (body as { version: unknown }).version !== 1) {
    throw bad(`version ${String((body as { version: unknown }).version)} is not supported (this server reads version 1).`);
  }
  const parsed = ExportSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`${issue && issue.path.length ? issue.path.join('.') : '(root)'}: ${issue?.message ?? 'malformed'}`);
  }
  return parsed.data;
}

/** Cross-field checks and a full replay of the document; throws a ServiceError naming the problem. */
export function checkExport(doc: SessionExport, catalog: ExerciseCatalog): void {
  const s = doc.session;
  if (!catalog.get(s.exercise.slug)) throw bad(`the exercise '${s.exercise.slug}' is not installed on this server.`);
  if (s.startedAt !== null && s.startedAt < s.createdAt) throw bad('session.startedAt is before session.createdAt.');
  if (s.startedAt !== null && s.endedAt < s.startedAt) throw bad('session.endedAt is before session.startedAt.');

  const people = new Set<string>();
  // The store keeps one participant per role and name in a session (as the room names them).
  const named = new Map<string, number>();
  doc.participants.forEach((p, i) => {
    if (people.has(p.id)) throw bad(`participants.${i}.id '${p.id}' is used twice.`);
    people.add(p.id);
    const twin = named.get(`${p.role}\n${p.name}`);
    if (twin !== undefined) throw bad(`participants.${i} has the same role and name as participants.${twin} (${p.role} '${p.name}'); each participant needs a name of their own.`);
    named.set(`${p.role}\n${p.name}`, i);
  });
  const known = (where: string, id: string | null) => {
    if (id !== null && !people.has(id)) throw bad(`${where} names participant '${id}', who is not in participants.`);
  };

  const updateIds = new Set<number>();
  const replay = new Y.Doc();
  try {
    doc.updates.forEach((u, i) => {
      const previous = doc.updates[i - 1];
      if (previous && u.id <= previous.id) throw bad(`updates.${i}.id must be greater than the one before it.`);
      if (previous && u.at < previous.at) throw bad(`updates.${i}.at is earlier than the update before it.`);
      known(`updates.${i}.participantId`, u.participantId);
      updateIds.add(u.id);
      const bytes = Buffer.from(u.bytes, 'base64');
      try {
        checkUpdate(bytes);
        Y.applyUpdate(replay, bytes);
      } catch (err) {
        throw bad(`updates.${i} is not a valid document update (${(err as Error).message}).`);
      }
    });
    // An update whose dependencies are missing stays pending and never shows: refuse it.
    if (replay.store.pendingStructs !== null || replay.store.pendingDs !== null) throw bad('updates depend on edits that are not in the document.');
    if (replay.getText(DOC_TEXT).length + replay.getText(SCRATCH_TEXT).length > LIMITS.docChars) throw bad(`the document is longer than ${LIMITS.docChars} characters.`);
  } finally {
    replay.destroy();
  }

  let finals = 0;
  const runIds = new Set<string>();
  doc.runs.forEach((r, i) => {
    if (runIds.has(r.id)) throw bad(`runs.${i}.id '${r.id}' is used twice.`);
    runIds.add(r.id);
    known(`runs.${i}.participantId`, r.participantId);
    if (r.updateId !== null && !updateIds.has(r.updateId)) throw bad(`runs.${i}.updateId ${r.updateId} is not an update of this session.`);
    if (r.kind === 'final') finals++;
    if (r.result.passed > r.result.total) throw bad(`runs.${i}.result.passed is larger than total.`);
  });
  if (finals > 1) throw bad('there is more than one final grading.');
  doc.events.forEach((e, i) => known(`events.${i}.participantId`, e.participantId));
  doc.notes.forEach((n, i) => known(`notes.${i}.participantId`, n.participantId));
}

/** The rows to write for a checked export: fresh ids, fresh links (sealed with this server's key). */
export function bundleFromExport(doc: SessionExport, keys: Keys, now: number): SessionBundle {
  const s = doc.session;
  const session: SessionRecord = {
    id: crypto.randomBytes(9).toString('base64url'),
    mode: s.mode,
    owner: null, // an import belongs to the mentors of this server, whoever made it elsewhere
    exerciseSlug: s.exercise.slug,
    candidateName: s.candidateName,
    status: 'ended',
    createdAt: s.createdAt,
    durationMs: s.durationMs,
    startedAt: s.startedAt,
    deadline: s.deadline,
    endedAt: s.endedAt,
    archivedAt: null,
  };
  const sessionId = session.id;
  const tokens = (['mentor', 'candidate', 'observer', 'review'] as const).map((role) => {
    const token = newToken();
    return { hash: hashToken(token), sessionId, role, sealed: seal(keys.linkKey, token) };
  });
  const ids = new Map(doc.participants.map((p) => [p.id, participantId()]));
  const map = (id: string | null) => (id === null ? null : ids.get(id)!);
  return {
    session,
    tokens,
    participants: doc.participants.map((p) => ({ id: ids.get(p.id)!, sessionId, role: p.role, name: p.name, firstSeen: p.firstSeen })),
    updates: doc.updates.map((u) => ({ id: u.id, sessionId, at: u.at, participantId: map(u.participantId), bytes: new Uint8Array(Buffer.from(u.bytes, 'base64')) })),
    runs: doc.runs.map((r) => ({ ...r, id: crypto.randomUUID(), sessionId, participantId: map(r.participantId) })),
    events: doc.events.map((e) => ({ sessionId, at: e.at, type: e.type, participantId: map(e.participantId), data: e.data })),
    notes: doc.notes.map((n) => ({ id: crypto.randomUUID(), sessionId, at: n.at, participantId: map(n.participantId), text: n.text })),
    scorecard: doc.scorecard ? { sessionId, ...doc.scorecard, updatedAt: doc.scorecard.updatedAt || now } : null,
  };
}
