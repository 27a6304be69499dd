// What the session core reports, as named events with typed arguments. The realtime layer (rooms)
// and the cluster (other nodes) subscribe with `on`, in any order, instead of replacing one shared
// callbacks object; the core's parts publish with `emit` and never know who listens.
import type { Mode } from '../../../common/policy.ts';
import type { ChatMessage, Note, Participant, RunQueued, SessionStatus, TimerView } from '../../../common/protocol.ts';
import type { TimelineEvent } from '../../../common/review.ts';
import type { ConsoleRunView } from '../../../common/console.ts';
import type { RunRecord } from '../store/types.ts';
import type { LogFn } from '../log.ts';

/** Where a document update comes from: stored by this node, or stored by another and relayed here. */
export type UpdateOrigin = 'local' | 'relay';

export interface SessionEventMap {
  timer: [sessionId: string, timer: TimerView, status: SessionStatus];
  warning: [sessionId: string, minutesLeft: number];
  runQueued: [sessionId: string, queued: RunQueued];
  /** The realtime layer redacts it per role (views.runViewFor, from 'see:hidden'). */
  runResult: [sessionId: string, run: RunRecord, requestedBy: string, mode: Mode];
  note: [sessionId: string, note: Note];
  /** A chat message: everyone in the session's room. */
  chat: [sessionId: string, message: ChatMessage];
  /** An integrity signal (paste, focus): mentors only. */
  signal: [sessionId: string, event: TimelineEvent];
  /** One participant's presence changed (see 'session:presence'). */
  presence: [sessionId: string, participant: Participant];
  /** A scratch console run's queue position and result, for everyone in the session. */
  consoleQueued: [sessionId: string, queued: RunQueued];
  consoleResult: [sessionId: string, run: ConsoleRunView];
  /** A stored document update (its id), as a sync message, for every connection but the sender. */
  docUpdate: [sessionId: string, message: Uint8Array, exceptConnId: string | null, updateId: number, origin: UpdateOrigin];
  awareness: [sessionId: string, update: Uint8Array, exceptConnId: string | null];
  /** Storage failed mid-edit, or the session was deleted: drop every connection (clients resync from stored state). */
  reset: [sessionId: string];
}

export type SessionEventName = keyof SessionEventMap;
export type SessionListener<K extends SessionEventName> = (...args: SessionEventMap[K]) => void;
export type Emit = <K extends SessionEventName>(event: K, ...args: SessionEventMap[K]) => void;

/** How listeners are kept: the map's keys pair each set with its event's argument types. */
type StoredListener = (...args: unknown[]) => void;

export class SessionBus {
  private readonly listeners = new Map<SessionEventName, Set<StoredListener>>();

  constructor(private readonly log: LogFn) {}

  /** Subscribes; returns the unsubscribe function. */
  on<K extends SessionEventName>(event: K, listener: SessionListener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const stored = listener as unknown as StoredListener;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** Calls every listener; one that throws is logged and does not keep the others from hearing it. */
  readonly emit: Emit = (event, ...args) => {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(...(args as unknown[]));
      } catch (err) {
        this.log(`a '${event}' listener failed`, err);
      }
    }
  };
}
