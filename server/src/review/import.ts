// Import of an exported session, to replay it on another server. Everything is checked before
// anything is written: the shape (zod), the names (the rules of a new session), the relations
// between ids, every document update (decoded, plain text only, no missing dependencies), and the
// exercise being installed here. A bad document gets an error that names what is wrong.
// This part is pure and CPU-bound: a 32 MiB export takes seconds, so it runs in a worker thread
// (import-worker.ts); importer.ts writes the result, and the store writes it in one transaction.
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { LIMITS } from '../../../common/protocol.ts';
import { checkUpdate, sourceBytes } from '../sessions/doc.ts';
import { ServiceError } from '../sessions/errors.ts';
import { ExportSchema, type SessionExport } from './export-schema.ts';

const bad = (message: string) => new ServiceError('bad_request', `Invalid session export: ${message}`);

/** Byte strings laid end to end: item i is bytes[offsets[i], offsets[i + 1]). Transferable between threads in one piece. */
export interface PackedBytes {
  bytes: Uint8Array;
  offsets: Uint32Array;
}

/**
 * A checked export, in a form a worker thread hands over at little cost: the updates as flat
 * arrays (200,000 small objects would take longer to copy between threads than to check), the
 * rest as it was.
 */
export interface CheckedExport {
  doc: Omit<SessionExport, 'updates'>;
  updates: {
    ids: Float64Array;
    at: Float64Array;
    /** Index into doc.participants; -1 for the server. */
    by: Int32Array;
    data: PackedBytes;
  };
  /** The document after update `updates.ids[afterIndex]`, every `snapshotEvery` updates. */
  snapshots: { afterIndex: Uint32Array; data: PackedBytes };
  /** sha256 (hex) of what was recorded, when and where it was exported aside (contentHash). */
  contentHash: string;
}

/**
 * The hash that tells a second import of the same session: the parsed document without the time
 * and place of the export, so that the same session exported twice is still the same content.
 */
export function contentHash(doc: SessionExport): string {
  const { exportedAt: _at, exportedFrom: _from, ...recorded } = doc;
  return createHash('sha256').update(JSON.stringify(recorded)).digest('hex');
}

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

/**
 * Cross-field checks and a full replay of the document; throws a ServiceError naming the problem.
 * The replay also gives the snapshots (every `snapshotEvery` updates) that keep "test this moment"
 * on an imported session as quick as on a recorded one.
 */
export function checkExport(doc: SessionExport, installed: (slug: string) => boolean, snapshotEvery: number): Uint8Array[] {
  const s = doc.session;
  if (!installed(s.exercise.slug)) throw bad(`the exercise '${s.exercise.slug}' is not installed on this server.`);
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
  const snapshots: Uint8Array[] = [];
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
      if ((i + 1) % snapshotEvery === 0) snapshots.push(Y.encodeStateAsUpdate(replay));
    });
    // An update whose dependencies are missing stays pending and never shows: refuse it.
    if (replay.store.pendingStructs !== null || replay.store.pendingDs !== null) throw bad('updates depend on edits that are not in the document.');
    if (sourceBytes(replay) > LIMITS.docBytes) throw bad(`the document is larger than ${LIMITS.docBytes} bytes (UTF-8).`);
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
  return snapshots;
}

export function packBytes(items: readonly Uint8Array[]): PackedBytes {
  const offsets = new Uint32Array(items.length + 1);
  for (const [i, item] of items.entries()) offsets[i + 1] = offsets[i]! + item.byteLength;
  const bytes = new Uint8Array(offsets[items.length]!);
  for (const [i, item] of items.entries()) bytes.set(item, offsets[i]!);
  return { bytes, offsets };
}

export function unpackBytes(p: PackedBytes, i: number): Uint8Array {
  return p.bytes.subarray(p.offsets[i]!, p.offsets[i + 1]!);
}

/** Parses, checks and packs an export sent as JSON text; throws a ServiceError naming the problem. */
export function checkImport(json: string, installed: (slug: string) => boolean, snapshotEvery: number): CheckedExport {
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    throw new ServiceError('bad_request', 'The request body is not valid JSON.');
  }
  const parsed = parseExport(body);
  const hash = contentHash(parsed);
  const { updates, ...rest } = parsed;
  const snapshots = checkExport({ ...rest, updates }, installed, snapshotEvery);
  const person = new Map(rest.participants.map((p, i) => [p.id, i]));
  const n = updates.length;
  const packed: CheckedExport['updates'] = {
    ids: new Float64Array(n),
    at: new Float64Array(n),
    by: new Int32Array(n),
    data: packBytes(updates.map((u) => Buffer.from(u.bytes, 'base64'))),
  };
  updates.forEach((u, i) => {
    packed.ids[i] = u.id;
    packed.at[i] = u.at;
    packed.by[i] = u.participantId === null ? -1 : person.get(u.participantId)!;
  });
  const afterIndex = Uint32Array.from(snapshots, (_, k) => (k + 1) * snapshotEvery - 1);
  return { doc: rest, updates: packed, snapshots: { afterIndex, data: packBytes(snapshots) }, contentHash: hash };
}
