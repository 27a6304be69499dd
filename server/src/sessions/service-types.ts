// Types the session service shares with its parts (edits.ts, timer-control.ts, session-view.ts)
// and with its callers, who import them through service.ts: what it reports, and who a connection is.
import type { Mode } from '../../../common/policy.ts';
import type { Note, Participant, Role, RunQueued, SessionStatus, TimerView } from '../../../common/protocol.ts';
import type { TimelineEvent } from '../../../common/review.ts';
import type { ConsoleRunView } from '../../../common/console.ts';
import type { ParticipantRecord, RunRecord } from '../store/types.ts';

export interface SessionEvents {
  timer(sessionId: string, timer: TimerView, status: SessionStatus): void;
  warning(sessionId: string, minutesLeft: number): void;
  runQueued(sessionId: string, queued: RunQueued): void;
  /** The realtime layer redacts it per role (views.runViewFor, from 'see:hidden'). */
  runResult(sessionId: string, run: RunRecord, requestedBy: string, mode: Mode): void;
  note(sessionId: string, note: Note): void;
  /** An integrity signal (paste, focus): mentors only. */
  signal(sessionId: string, event: TimelineEvent): void;
  /** One participant's presence changed (see 'session:presence'). */
  presence(sessionId: string, participant: Participant): void;
  /** A scratch console run's queue position and result, for everyone in the session. */
  consoleQueued(sessionId: string, queued: RunQueued): void;
  consoleResult(sessionId: string, run: ConsoleRunView): void;
  /** A stored document update (its id), as a sync message, for every connection but the sender. */
  docUpdate(sessionId: string, message: Uint8Array, exceptConnId: string | null, updateId: number): void;
  awareness(sessionId: string, update: Uint8Array, exceptConnId: string | null): void;
  /** Storage failed mid-edit: drop every connection so the clients resync from stored state. */
  reset(sessionId: string): void;
}

/** Who a connection is. */
export interface Identity {
  sessionId: string;
  /** The session's mode, which with the role decides what it may see (common/policy.ts). */
  mode: Mode;
  role: Role;
  participant: ParticipantRecord;
}

export const noEvents: SessionEvents = {
  timer() {}, warning() {}, runQueued() {}, runResult() {}, note() {}, signal() {}, presence() {}, docUpdate() {}, awareness() {}, reset() {},
  consoleQueued() {}, consoleResult() {},
};
