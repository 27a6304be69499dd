// Yjs provider over the room's socket.io connection: y-protocols sync on 'doc:sync' and
// awareness on 'awareness:update'. Local updates are kept until the server acks them, so edits
// made while offline (or lost in flight) are re-sent, merged, on the next connect.
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
  /** The server refused an update (e.g. the session ended). */
  onError?: (error: ErrorReply) => void;
  /** Number of local updates not yet acknowledged changed. */
  onPending?: (count: number) => void;
}

export class SocketIOProvider {
  readonly awareness: awarenessProtocol.Awareness;
  synced = false;
  private seq = 0;
  private readonly unacked = new Map<number, Uint8Array>();
  private readonly cleanup: Array<() => void> = [];

  constructor(
    private readonly socket: RoomSocket,
    readonly doc: Y.Doc,
    private readonly events: ProviderEvents = {},
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);

    const onDocUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin === this) return; // came from the server
      this.queueUpdate(update);
    };
    doc.on('update', onDocUpdate);
    this.cleanup.push(() => doc.off('update', onDocUpdate));

    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ): void => {
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
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== doc.clientID);
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
      awarenessProtocol.removeAwarenessStates(this.awareness, [doc.clientID], 'window unload');
    };
    if (typeof window !== 'undefined') {
      window.addEventListener('pagehide', onUnload);
      this.cleanup.push(() => window.removeEventListener('pagehide', onUnload));
    }

    if (socket.connected) this.handshake();
  }

  get pendingCount(): number {
    return this.unacked.size;
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

  /** Sync step 1 on every (re)connect, plus anything the server has not acknowledged yet. */
  private handshake(): void {
    const encoder = encoding.createEncoder();
    syncProtocol.writeSyncStep1(encoder, this.doc);
    this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (r) => this.onAck(r));
    if (this.unacked.size > 0) {
      // A handful of small updates from an outage: merging them is cheap.
      const merged = Y.mergeUpdates([...this.unacked.values()]);
      this.unacked.clear();
      this.queueUpdate(merged);
    }
    if (this.awareness.getLocalState() !== null) {
      this.socket.emit('awareness:update', awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]));
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
      // A refused update is dropped too: re-sending it would be refused again.
      this.unacked.delete(id);
      this.events.onPending?.(this.unacked.size);
      this.onAck(result);
    });
  }

  private onAck(result: Result<null>): void {
    if (!result.ok) this.events.onError?.(result.error);
  }

  private receiveSync(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const encoder = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
    if (encoding.length(encoder) > 0) {
      // Our answer to the server's step 1: whatever it is missing (e.g. offline edits).
      this.socket.emit('doc:sync', encoding.toUint8Array(encoder), (r) => this.onAck(r));
    }
    if (type === syncProtocol.messageYjsSyncStep2) {
      this.synced = true;
      this.events.onSynced?.();
    }
  }

  destroy(): void {
    awarenessProtocol.removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy');
    for (const off of this.cleanup.splice(0)) off();
    this.awareness.destroy();
  }
}
