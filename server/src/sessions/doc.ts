// The server's copy of a session's document: one Y.Doc (Y.Text 'code') plus awareness.
// Knows Yjs and y-protocols, nothing about sockets or storage policy.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { DOC_TEXT, LIMITS } from '../../../common/protocol.ts';
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

/** Builds a document holding `text`, as one update. The server does this once per session. */
export function starterUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText(DOC_TEXT).insert(0, text);
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
 * malformed one) and checks it only edits the shared text with plain strings.
 * Returns the number of characters it inserts.
 */
export function checkUpdate(update: Uint8Array): number {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch (err) {
    throw new ServiceError('bad_request', `Malformed document update: ${(err as Error).message}`);
  }
  let inserted = 0;
  for (const s of decoded.structs) {
    if (!(s instanceof Y.Item)) continue; // GC and Skip carry no content
    const parent: unknown = s.parent;
    if (typeof parent === 'string' && parent !== DOC_TEXT) {
      throw new ServiceError('bad_request', `Only the '${DOC_TEXT}' text may be edited.`);
    }
    if (s.parentSub !== null) throw new ServiceError('bad_request', 'Map entries are not allowed in the document.');
    const c = s.content;
    if (c instanceof Y.ContentString) inserted += c.str.length;
    else if (!(c instanceof Y.ContentDeleted) && !(c instanceof Y.ContentFormat)) {
      throw new ServiceError('bad_request', 'Only plain text may be inserted.');
    }
  }
  return inserted;
}

interface AwarenessOwner {
  connId: string;
  participantId: string;
}

/** One session's live document. */
export class SessionDoc {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(DOC_TEXT);
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Highest stored update id the document is known to contain. */
  lastUpdateId = 0;
  updatesSinceSnapshot = 0;
  /** Edits applied here whose store commit has not resolved yet. */
  readonly writes = new Set<Promise<unknown>>();
  private owners = new Map<number, AwarenessOwner>();
  private captured: Uint8Array[] = [];
  private readonly applyOrigin = Symbol('client-update');

  /** Called with an encoded awareness update to send to every connection except `exceptConnId`. */
  onAwareness: (update: Uint8Array, exceptConnId: string | null) => void = () => {};

  constructor() {
    this.awareness.setLocalState(null); // the server has no cursor
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.applyOrigin) this.captured.push(update);
    });
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        if (changed.length === 0) return;
        const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
        // Client updates carry {conn}; removals ('disconnect', 'timeout') go to everyone.
        const conn = typeof origin === 'object' && origin !== null && 'conn' in origin ? String(origin.conn) : null;
        this.onAwareness(update, conn);
      },
    );
  }

  /** Loads stored state (history module): a snapshot and the updates after it, in one transaction. */
  load(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): void {
    this.lastUpdateId = materializeInto(this.doc, snapshot, updates);
    this.updatesSinceSnapshot = updates.length;
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
    const inserted = checkUpdate(update);
    if (inserted > 0 && this.text.length + inserted > LIMITS.docChars) {
      throw new ServiceError('too_large', `The document may not exceed ${LIMITS.docChars} characters.`);
    }
    this.captured = [];
    try {
      Y.applyUpdate(this.doc, update, this.applyOrigin);
    } catch (err) {
      throw new ServiceError('bad_request', `Document update refused: ${(err as Error).message}`);
    }
    const out = this.captured;
    this.captured = [];
    if (out.length === 0) return null;
    return out.length === 1 ? out[0]! : Y.mergeUpdates(out);
  }

  snapshot(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  /**
   * Applies an awareness update from a connection. A client id belongs to the participant that
   * first announced it, so one person cannot move or remove another's cursor.
   */
  applyAwareness(update: Uint8Array, connId: string, participantId: string): void {
    const clients: number[] = [];
    try {
      const d = decoding.createDecoder(update);
      const n = decoding.readVarUint(d);
      if (n > 16) throw new Error('too many states');
      for (let i = 0; i < n; i++) {
        clients.push(decoding.readVarUint(d));
        decoding.readVarUint(d);
        JSON.parse(decoding.readVarString(d));
      }
      if (decoding.hasContent(d)) throw new Error('trailing bytes');
    } catch (err) {
      throw new ServiceError('bad_request', `Malformed awareness update: ${(err as Error).message}`);
    }
    for (const c of clients) {
      const owner = this.owners.get(c);
      if (owner && owner.participantId !== participantId) throw new ServiceError('forbidden', 'That awareness state belongs to someone else.');
    }
    for (const c of clients) this.owners.set(c, { connId, participantId });
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, { conn: connId });
  }

  /** Drops the awareness states a connection owned (it disconnected). */
  removeConnection(connId: string): void {
    const ids = [...this.owners].filter(([, o]) => o.connId === connId).map(([c]) => c);
    for (const c of ids) this.owners.delete(c);
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
