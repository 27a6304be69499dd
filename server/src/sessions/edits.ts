// The edit path: who may write to the document now, and an edit applied, stored durably and only
// then broadcast. When the store fails the session is dropped so that every client resyncs.
import { mayEver } from '../../../common/policy.ts';
import { LIMITS, type Result } from '../../../common/protocol.ts';
import type { LogFn } from '../log.ts';
import type { Store } from '../store/types.ts';
import { encodeSyncUpdate, isEmptyUpdate } from './doc.ts';
import { fail, ok } from './errors.ts';
import type { Background, Live, LiveSessions } from './live.ts';
import type { Identity } from './service-types.ts';
import type { Emit } from './bus.ts';
import type { Enter } from './guard.ts';
import type { Clock } from './timer.ts';

/** Clearer than the policy's general texts for an edit refused by the session's status. */
const EDIT_REFUSED: Partial<Record<string, string>> = {
  session_ended: 'The session has ended; edits are no longer accepted.',
  conflict: 'The interview has not started yet; edits are accepted once the timer runs.',
};

export interface EditsDeps {
  store: Store;
  clock: Clock;
  log: LogFn;
  lives: LiveSessions;
  /** A snapshot is stored in the background after this many updates. */
  snapshotEvery: number;
  background: Background;
  /** Publishes on the service's bus. */
  emit: Emit;
  /** The service's guard: the loaded session, its deadline settled, the policy's answer. */
  enter: Enter;
  snapshot(live: Live): Promise<void>;
  /** Drops the session from memory and makes every client resync from the store. */
  evict(live: Live): void;
}

export class Edits {
  constructor(private readonly d: EditsDeps) {}

  /** Whether the server should invite this connection to send its edits (sync step 1). */
  canWriteNow(who: Identity): boolean {
    const { live } = this.d.enter(who, 'doc:read');
    return mayEver(live.record.mode, who.role, 'doc:write') && live.record.status !== 'ended';
  }

  /**
   * Applies an edit, stores it durably, then broadcasts it. Resolves (and the caller acks) only
   * after the store has it, so an acknowledged edit survives a crash.
   */
  async write(who: Identity, connId: string, update: Uint8Array): Promise<Result<null>> {
    const { live, denial: no } = this.d.enter(who, 'doc:write');
    // A step 2 with nothing in it (a client that has no edits) is fine whenever the role may write at all.
    if (no && !(no.code === 'conflict' && isEmptyUpdate(update))) return fail(no.code, EDIT_REFUSED[no.code] ?? no.message);
    if (live.doc.storedBytes + update.byteLength > LIMITS.sessionStoredBytes) {
      return fail('too_large', `This session has stored ${LIMITS.sessionStoredBytes / (1024 * 1024)} MiB of edits, the most a session may hold.`);
    }
    const effective = live.doc.apply(update); // throws ServiceError on bad input, before any change
    if (!effective) return ok(null);
    let id: number;
    const stored = this.d.store.appendUpdate({ sessionId: who.sessionId, at: this.d.clock.now(), participantId: who.participant.id, bytes: effective });
    const pending = stored.catch(() => {});
    live.doc.writes.add(pending);
    try {
      id = await stored;
    } catch (err) {
      // The in-memory document is now ahead of the store: drop it and make every client resync.
      this.d.log(`storing an update of session ${who.sessionId} failed`, err);
      this.d.evict(live);
      return fail('internal', 'The edit could not be saved; reconnecting.');
    } finally {
      live.doc.writes.delete(pending);
    }
    live.doc.stored(id, effective.byteLength, 'local');
    this.d.emit('docUpdate', who.sessionId, encodeSyncUpdate(effective), connId, id, 'local');
    if (live.doc.updatesSinceSnapshot >= this.d.snapshotEvery) this.d.background.track(this.d.snapshot(live));
    return ok(null);
  }
}
