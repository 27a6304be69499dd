// Yjs provider over the room's socket.io connection: y-protocols sync on 'doc:sync' and
// awareness on 'awareness:update'. Local updates are kept until the server acks them, so edits
// made while offline (or lost in flight) are re-sent, merged, on the next connect.
// When the server refuses an edit, the local document holds text the server never will, and
// every later edit builds on it: the provider then fetches the server's whole document into a
// fresh Y.Doc and replaces the local one with it (editors rebind through onReplace).
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { ErrorReply, Result } from '../../../common/protocol.ts';
import { toBytes, type RoomSocket } from '../socket.ts';

export interface ProviderEvents {
  /** First (and every later) completed sync step 2 from the server. */
  onSynced?: () => void;
  /** The server refused a request that is not an edit (e.g. a sync request, rate limited). */
  onError?: (error: ErrorReply) => void;
  /** Number of local updates not yet acknowledged changed. */
  onPending?: (count: number) => void;
  /** The server refused a local edit: the server's copy is being fetched (editing should pause). */
  onRefused?: (error: ErrorReply) => void;
  /** The server's copy replaced the local document; `previous` holds the text as it was here. */
  onRestored?: (restored: Restored) => void;
}

export interface Restored {
  error: ErrorReply;
  previous: Y.Doc;
  doc: Y.Doc;
}

export class SocketIOProvider {
  readonly awareness: awarenessProtocol.Awareness;
  synced = false;
  private seq = 0;
  private readonly unacked = new Map<number, Uint8Array>();
  private readonly cleanup: Array<() => void> = [];
  private readonly replaceListeners = new Set<(doc: Y.Doc, previous: Y.Doc) => void>();
  /** After a refused edit: the server's copy being fetched, and why. */
  private restore: { doc: Y.Doc; error: ErrorReply } | null = null;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly socket: RoomSocket,
    private current: Y.Doc,
    private readonly events: ProviderEvents = {},
  ) {
    this.awareness = new awarenessProtocol.Awareness(current);
    current.on('update', this.onDocUpdate);
    this.cleanup.push(() => this.current.off('update', this.onDocUpdate));

    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
      if (origin === this || !this.socket.connected) return;
      const changed = [...added, ...updated, ...removed];
      this.socket.emit('awareness:update', awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    };
    this.awareness.on('update', onAwareness);
    this.cleanup.push(() => this.awareness.off('update', onAwareness));

    const onSync = (message: unknown): void => this.receiveSync(toBytes(message));
    const onRemoteAwareness = (update: unknown): void => {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, toBytes(update), this);
    };
    const onConnect = (): void => this.handshake();
    const onDisconnect = (): void => {
      this.synced = false;
      // Peers' cursors would go stale while we cannot hear them; they come back on reconnect.
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID);
      awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    };
    socket.on('doc:sync', onSync);
    socket.on('awareness:update', onRemoteAwareness);
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    this.cleanup.push(() => {
      socket.off('doc:sync', onSync);
      socket.off('awareness:update', onRemoteAwareness);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
    });

    // Tell peers we left when the tab closes, instead of waiting for the 30 s awareness timeout.
    const onUnload = (): void => {
      awarenessProtocol.removeAwarenessStates(this.awareness, [this.awareness.clientID], 'window unload');
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', onUnload);
      this.cleanup.push(() => window.removeEventListener('pagehide', onUnload));
    }

    if (socket.connected) this.handshake();
  }

  /** The shared document; a new one after a refused edit (see onReplace). */
  get doc(): Y.Doc {
    return this.current;
  }

  get pendingCount(): number {
    return this.unacked.size;
  }

  /** True from a refused edit until the server's copy has replaced the local document. */
  get restoring(): boolean {
    return this.restore !== null;
  }

  /** Called with the new document (and the old one) whenever the document is replaced. */
  onReplace(listener: (doc: Y.Doc, previous: Y.Doc) => void): () => void {
    this.replaceListeners.add(listener);
    return () => this.replaceListeners.delete(listener);
  }

  /** Resolves once every local edit so far is acknowledged (or after timeoutMs). */
  whenFlushed(timeoutMs = 3000): Promise<void> {
    if (this.unacked.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const started = Date.now();
      const poll = (): void => {
        if (this.unacked.size === 0 || Date.now() - started > timeoutMs) resolve();
        else setTimeout(poll, 25);
      };
      poll();
    });
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this) return; // came from the server
    if (this.restore) return; // built on the refused edit: it would be refused too
    this.queueUpdate(update);
  };

  /** Sync step 1 on every (re)connect, plus anything the server has not acknowledged yet. */
  private handshake(): void {
    if (this.restore) {
      this.requestServerCopy();
      this.sendOwnAwareness();
      return;
    }
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (r) => this.onAck(r));
    if (this.unacked.size > 0) {
      // A handful of small updates from an outage: merging them is cheap.
      const merged = Y.mergeUpdates([...this.unacked.values()]);
      this.unacked.clear();
      this.queueUpdate(merged);
    }
    this.sendOwnAwareness();
  }

  private sendOwnAwareness(): void {
    if (this.awareness.getLocalState() !== null) {
      this.socket.emit('awareness:update', awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.awareness.clientID]));
    }
  }

  private queueUpdate(update: Uint8Array): void {
    const id = ++this.seq;
    this.unacked.set(id, update);
    this.events.onPending?.(this.unacked.size);
    if (!this.socket.connected) return; // re-sent by handshake()
    const encoder = encoding.createEncoder();
    syncProtocol.writeUpdate(encoder, update);
    this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (result) => {
      if (!this.unacked.delete(id)) return; // cleared by a refusal meanwhile
      this.events.onPending?.(this.unacked.size);
      if (!result.ok) this.refused(result.error);
    });
  }

  private onAck(result: Result<null>): void {
    if (!result.ok) this.events.onError?.(result.error);
  }

  private receiveSync(message: Uint8Array): void {
    // While the server's copy is fetched, everything the server sends belongs to that copy.
    const target = this.restore?.doc ?? this.current;
    const decoder = decoding.createDecoder(message);
    const encoder = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoder, encoder, target, this);
    if (this.restore) return; // the copy has no edits of its own to answer the server's step 1 with
    if (encoding.length(encoder) > 0) {
      // Our answer to the server's step 1: whatever it is missing (e.g. offline edits).
      this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (r) => {
        if (!r.ok) this.refused(r.error);
      });
    }
    if (type === syncProtocol.messageYjsSyncStep2) {
      this.synced = true;
      this.events.onSynced?.();
    }
  }

  /**
   * The server refused local edits: it does not have them and never will, and every later edit
   * depends on them. Nothing more is sent from this document; the server's is fetched instead.
   */
  private refused(error: ErrorReply): void {
    if (this.restore) return; // edits sent after the refused one are refused as well
    this.restore = { doc: new Y.Doc(), error };
    this.unacked.clear();
    this.events.onPending?.(0);
    this.events.onRefused?.(error);
    if (this.socket.connected) this.requestServerCopy();
  }

  /** Sync step 1 of the empty copy: the server answers with its whole document, then acks. */
  private requestServerCopy(): void {
    const restore = this.restore;
    if (!restore) return;
    clearTimeout(this.retry);
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, restore.doc);
    this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (result) => {
      if (this.restore !== restore) return;
      // The step 2 came before this ack (common/protocol.ts): the copy is complete.
      if (result.ok) this.finishRestore();
      else this.retry = setTimeout(() => this.socket.connected && this.requestServerCopy(), 1_000);
    });
  }

  private finishRestore(): void {
    const { doc, error } = this.restore!;
    this.restore = null;
    const previous = this.current;
    previous.off('update', this.onDocUpdate);
    doc.on('update', this.onDocUpdate);
    this.current = doc;
    // Our cursor moves to the new document's client id: the refused edits used clocks of the old
    // one, and an id must never stand for two different edits. (The old Y.Doc is not destroyed:
    // that would destroy the awareness it was created with.)
    const state = this.awareness.getLocalState();
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.awareness.clientID], 'restore');
    this.awareness.clientID = doc.clientID;
    this.awareness.doc = doc;
    // Peers ignore clock 0 of an id they have not seen (a new Awareness spends it on its empty state).
    this.awareness.meta.set(doc.clientID, { clock: 0, lastUpdated: Date.now() });
    if (state) this.awareness.setLocalState(state);
    for (const listener of this.replaceListeners) listener(doc, previous);
    this.synced = true;
    this.events.onRestored?.({ error, previous, doc });
    this.events.onSynced?.();
  }

  destroy(): void {
    clearTimeout(this.retry);
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.awareness.clientID], 'destroy');
    for (const off of this.cleanup.splice(0)) off();
    this.awareness.destroy();
  }
}
