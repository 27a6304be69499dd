// The server's copy of a session's document: one Y.Doc (Y.Text 'code', the solution, and Y.Text
// 'scratch', the console's file) plus awareness.
// Knows Yjs and y-protocols, nothing about sockets or storage policy.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { SCRATCH_TEXT } from '../../../common/console.ts';
import { DOC_TEXT, LIMITS } from '../../../common/protocol.ts';
import { formatKiB, refusesSourceSize, utf8Length } from '../../../common/source-limit.ts';
import { materializeInto, type HistorySnapshot, type HistoryUpdate } from '../history/index.ts';
import { ServiceError } from './errors.ts';

export type SyncMessage = { type: 'step1'; stateVector: Uint8Array } | { type: 'update'; update: Uint8Array };

/** Parses a bare y-protocols sync message; throws ServiceError('bad_request') on anything else. */
export function parseSyncMessage(message: Uint8Array): SyncMessage {
  try {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes');
    if (type === syncProtocol.messageYjsSyncStep1) {
      Y.decodeStateVector(payload); // validates
      return { type: 'step1', stateVector: payload };
    }
    if (type === syncProtocol.messageYjsSyncStep2 || type === syncProtocol.messageYjsUpdate) {
      return { type: 'update', update: payload };
    }
    throw new Error(`unknown sync message type ${type}`);
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    throw new ServiceError('bad_request', `Malformed sync message: ${(err as Error).message}`);
  }
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** The only shared types a document may hold: the solution and the scratch file, both plain text. */
const TEXTS: ReadonlySet<string> = new Set([DOC_TEXT, SCRATCH_TEXT]);

/** Builds a document holding `text` (and the scratch file's starter), as one update. The server does this once per session. */
export function starterUpdate(text: string, scratch = ''): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(DOC_TEXT).insert(0, text);
  if (scratch) doc.getText(SCRATCH_TEXT).insert(0, scratch);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** True for an update that changes nothing (a sync step 2 from a client with no edits of its own). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const { structs, ds } = Y.decodeUpdate(update);
    return structs.length === 0 && ds.clients.size === 0;
  } catch {
    return false; // malformed: let apply() refuse it with its own message
  }
}

/**
 * Decodes an update fully before it touches the document (Y.applyUpdate may half-apply a
 * malformed one) and checks that it only edits the shared text with plain strings, and that it
 * can be applied completely to `doc` now (when given). Yjs would otherwise keep an update with
 * missing dependencies as "pending" structs: uncounted, unstored, and applied later in one go.
 * Returns the bytes (UTF-8) of the text it inserts that the document does not have yet.
 */
export function checkUpdate(update: Uint8Array, doc?: Y.Doc): number {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    throw new ServiceError('bad_request', `Malformed document update: ${(err as Error).message}`);
  }
  // Without a document (checking an update on its own) every dependency counts as present.
  const stateOf = (client: number) => (doc ? Y.getState(doc.store, client) : Number.MAX_SAFE_INTEGER);
  const missing = (what: string) => new ServiceError('bad_request', `The update depends on ${what} the server does not have; send the missing edits first (sync step 1).`);
  // Per client: the clock range the update covers. Structs come grouped by client, in clock order.
  const ranges = new Map<number, { start: number; end: number }>();
  for (const s of decoded.structs) {
    if (s instanceof Y.Skip) {
      if (doc) throw missing('a gap in its own history');
      continue;
    }
    const { client, clock } = s.id;
    const r = ranges.get(client);
    if (!r) {
      if (clock > stateOf(client)) throw missing('earlier edits');
      ranges.set(client, { start: clock, end: clock + s.length });
    } else if (clock !== r.end && doc) throw missing('a gap in its own history');
    else r.end = clock + s.length;
  }
  // Known = in the document, or earlier in this update (which starts inside what the document has).
  const known = (client: number, clock: number) => clock < Math.max(stateOf(client), ranges.get(client)?.end ?? 0);
  let inserted = 0;
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue; // GC structs carry no content
    const parent: unknown = s.parent;
    if (parent !== null && (typeof parent !== 'string' || !TEXTS.has(parent))) {
      throw new ServiceError('bad_request', `Only the '${DOC_TEXT}' text and the '${SCRATCH_TEXT}' text may be edited.`);
    }
    if (s.parentSub !== null) throw new ServiceError('bad_request', 'Map entries are not allowed in the document.');
    if (parent === null && s.origin === null && s.rightOrigin === null) throw new ServiceError('bad_request', 'An edit without a place in the text.');
    for (const o of [s.origin, s.rightOrigin]) {
      if (o !== null && !known(o.client, o.clock)) throw missing('text');
    }
    // Only plain text: formatting attributes and embeds would make the stored bytes unbounded
    // while counting as no characters.
    const c = s.content;
    if (c instanceof Y.ContentString) {
      const have = doc ? Y.getState(doc.store, s.id.client) : 0;
      const from = Math.max(0, have - s.id.clock); // the part the document already has is no growth
      if (from < s.length) inserted += utf8Length(c.str.slice(from));
    } else if (!(c instanceof Y.ContentDeleted)) {
      throw new ServiceError('bad_request', 'Only plain text may be inserted (no formatting, embeds or other content).');
    }
  }
  for (const [client, deletes] of decoded.ds.clients) {
    for (const d of deletes) {
      if (d.len > 0 && !known(client, d.clock + d.len - 1)) throw missing('deleted text');
    }
  }
  return inserted;
}

/** The source the document holds: solution and scratch file together, in bytes of UTF-8. */
export function sourceBytes(doc: Y.Doc): number {
  return utf8Length(doc.getText(DOC_TEXT).toString()) + utf8Length(doc.getText(SCRATCH_TEXT).toString());
}

/** Bytes (UTF-8) of the document's visible text that the update deletes. */
function deletedBytes(update: Uint8Array, doc: Y.Doc): number {
  let bytes = 0;
  for (const [client, deletes] of Y.decodeUpdate(update).ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const have = Y.getState(doc.store, client);
    for (const d of deletes) {
      const end = Math.min(d.clock + d.len, have); // beyond `have`: text this same update inserts
      if (d.clock >= end) continue;
      for (let i = Y.findIndexSS(structs, d.clock); i < structs.length; i++) {
        const s = structs[i]!;
        if (s.id.clock >= end) break;
        if (!(s instanceof Y.Item) || s.deleted || !(s.content instanceof Y.ContentString)) continue;
        const from = Math.max(d.clock, s.id.clock) - s.id.clock;
        bytes += utf8Length(s.content.str.slice(from, Math.min(end, s.id.clock + s.length) - s.id.clock));
      }
    }
  }
  return bytes;
}

/** Who an awareness state is relayed as: the server writes these into `user`, never the client. */
export interface AwarenessAuthor {
  participantId: string;
  name: string;
  color: string;
  /** Observers watch: their caret and selection are not relayed, so nobody sees a cursor for them. */
  noCursor?: boolean;
}

/** One session's live document. */
export class SessionDoc {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(DOC_TEXT);
  readonly scratch = this.doc.getText(SCRATCH_TEXT);
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Highest stored update id the document is known to contain. */
  private lastId = 0;
  /** Updates stored by this node since the last snapshot (another node snapshots its own). */
  private sinceSnapshot = 0;
  /** Bytes the session holds in the store (updates and snapshots), for the per-session limit. */
  private bytesStored = 0;
  /** Edits applied here whose store commit has not resolved yet. */
  readonly writes = new Set<Promise<unknown>>();
  /**
   * Awareness client id -> the participant that first used it. Kept for the life of the loaded
   * session (not dropped on disconnect) so nobody can take over an absent person's cursor.
   */
  private owners = new Map<number, string>();
  /** Awareness client id -> the connection currently sending it (its state goes when that one does). */
  private connOf = new Map<number, string>();
  private captured: Uint8Array[] = [];
  private readonly applyOrigin = Symbol('client-update');
  private readonly storedOrigin = Symbol('stored-update');

  constructor(
    /** Called with an encoded awareness update to send to every connection except `exceptConnId`. */
    private onAwareness: (update: Uint8Array, exceptConnId: string | null) => void = () => {},
  ) {
    this.awareness.setLocalState(null); // the server has no cursor
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.applyOrigin) this.captured.push(update);
    });
    this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      if (changed.length === 0) return;
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      // Client updates carry {conn}; removals ('disconnect', 'timeout') go to everyone.
      const conn = typeof origin === 'object' && origin !== null && 'conn' in origin ? String(origin.conn) : null;
      this.onAwareness(update, conn);
    });
  }

  /** Loads stored state (history module): a snapshot and the updates after it, in one transaction. */
  load(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[], storedBytes = 0): void {
    this.lastId = materializeInto(this.doc, snapshot, updates);
    this.sinceSnapshot = updates.length;
    this.bytesStored = storedBytes;
  }

  get lastUpdateId(): number {
    return this.lastId;
  }

  get storedBytes(): number {
    return this.bytesStored;
  }

  get updatesSinceSnapshot(): number {
    return this.sinceSnapshot;
  }

  /** An update is in the store under `updateId`: stored by this node (`local`) or by another. */
  stored(updateId: number, bytes: number, origin: 'local' | 'relay'): void {
    this.lastId = Math.max(this.lastId, updateId);
    this.bytesStored += bytes;
    if (origin === 'local') this.sinceSnapshot++;
  }

  /** Starts a snapshot: false when nothing was stored since the last one. */
  takeSnapshotDue(): boolean {
    if (this.sinceSnapshot === 0) return false;
    this.sinceSnapshot = 0;
    return true;
  }

  /** A snapshot of `bytes` was added to the store. */
  snapshotStored(bytes: number): void {
    this.bytesStored += bytes;
  }

  /**
   * Catches up with the stored document (history module: its latest snapshot and the updates
   * after it) when a relayed update arrived whose predecessors never did. Yjs applies idempotently.
   */
  catchUp(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): void {
    this.lastId = Math.max(this.lastId, materializeInto(this.doc, snapshot, updates));
  }

  step1(): Uint8Array {
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep1(e, this.doc);
    return encoding.toUint8Array(e);
  }

  /** The step 2 answering a client's step 1: everything the client lacks. */
  step2(stateVector: Uint8Array): Uint8Array {
    const e = encoding.createEncoder();
    syncProtocol.writeSyncStep2(e, this.doc, stateVector);
    return encoding.toUint8Array(e);
  }

  /**
   * Validates and applies a client's update. Returns what actually changed (to store and
   * broadcast), or null when the update brought nothing new (a duplicate, or still pending).
   */
  apply(update: Uint8Array): Uint8Array | null {
    const inserted = checkUpdate(update, this.doc);
    const limit = LIMITS.docBytes;
    const before = sourceBytes(this.doc);
    // Deletions are counted only near the limit (a replacement of text, say): they cost a lookup each.
    if (before + inserted > limit) {
      const after = before + inserted - deletedBytes(update, this.doc);
      if (refusesSourceSize(before, after, limit)) {
        throw new ServiceError(
          'too_large',
          `The document (solution and scratch file together) may hold ${formatKiB(limit)} (${limit.toLocaleString('en')} bytes of UTF-8); this edit would make it ${after.toLocaleString('en')} bytes.`,
        );
      }
    }
    this.captured = [];
    try {
      Y.applyUpdate(this.doc, update, this.applyOrigin);
    } catch (err) {
      throw new ServiceError('bad_request', `Document update refused: ${(err as Error).message}`);
    }
    const out = this.captured;
    this.captured = [];
    // checkUpdate makes this impossible; should Yjs ever disagree, nothing may linger unstored.
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      throw new ServiceError('bad_request', 'The update could not be applied completely.');
    }
    if (out.length === 0) return null;
    return out.length === 1 ? out[0]! : Y.mergeUpdates(out);
  }

  /**
   * Applies an update that is already stored (another node accepted it). Returns false when it
   * depends on updates this document lacks (Yjs then holds it pending until they come).
   */
  applyStored(update: Uint8Array): boolean {
    Y.applyUpdate(this.doc, update, this.storedOrigin);
    return this.doc.store.pendingStructs === null && this.doc.store.pendingDs === null;
  }

  snapshot(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /**
   * Applies an awareness update from a connection. A client id belongs to the participant that
   * first announced it, so one person cannot move, remove or reuse another's cursor; the name and
   * colour shown come from the participant record, so nobody can label a cursor as someone else.
   */
  applyAwareness(update: Uint8Array, connId: string, author: AwarenessAuthor): void {
    const states: Array<{ client: number; clock: number; state: unknown }> = [];
    try {
      const d = decoding.createDecoder(update);
      const n = decoding.readVarUint(d);
      if (n > 16) throw new Error('too many states');
      for (let i = 0; i < n; i++) {
        const client = decoding.readVarUint(d);
        const clock = decoding.readVarUint(d);
        const state: unknown = JSON.parse(decoding.readVarString(d));
        if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('a state must be an object or null');
        states.push({ client, clock, state });
      }
      if (decoding.hasContent(d)) throw new Error('trailing bytes');
    } catch (err) {
      throw new ServiceError('bad_request', `Malformed awareness update: ${(err as Error).message}`);
    }
    const fresh = new Set<number>();
    for (const { client } of states) {
      const owner = this.owners.get(client);
      if (owner !== undefined && owner !== author.participantId) throw new ServiceError('forbidden', 'That awareness state belongs to someone else.');
      if (owner === undefined) fresh.add(client);
    }
    if (fresh.size > 0) {
      let mine = 0;
      for (const p of this.owners.values()) if (p === author.participantId) mine++;
      if (mine + fresh.size > LIMITS.awarenessIdsPerParticipant) {
        throw new ServiceError('too_large', `At most ${LIMITS.awarenessIdsPerParticipant} cursors per participant in a session; reload the page.`);
      }
    }
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, states.length);
    for (const { client, clock, state } of states) {
      this.owners.set(client, author.participantId);
      this.connOf.set(client, connId);
      const user = { name: author.name, color: author.color, id: author.participantId };
      encoding.writeVarUint(e, client);
      encoding.writeVarUint(e, clock);
      const relayed: Record<string, unknown> | null = state === null ? null : { ...(state as Record<string, unknown>), user };
      if (relayed && author.noCursor) delete relayed['selection'];
      encoding.writeVarString(e, JSON.stringify(relayed));
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encoding.toUint8Array(e), { conn: connId });
  }

  /** Drops the awareness states a connection sent (it disconnected); their ids stay owned. */
  removeConnection(connId: string): void {
    const ids = [...this.connOf].filter(([, c]) => c === connId).map(([id]) => id);
    for (const id of ids) this.connOf.delete(id);
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, 'disconnect');
  }

  /** Every known awareness state, for a connection that just joined; null when there are none. */
  awarenessState(): Uint8Array | null {
    const ids = [...this.awareness.getStates().keys()];
    return ids.length === 0 ? null : awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
  }

  destroy(): void {
    this.onAwareness = () => {};
    this.awareness.destroy();
    this.doc.destroy();
  }
}
