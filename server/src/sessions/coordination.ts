// What the session service asks of "the other nodes". One process (the default) answers alone:
// its timers always fire, a timer change is simply stored. Several nodes (server/src/cluster/)
// answer with a lease per session and a lock around timer changes; see the README's architecture.
import type { ErrorReply } from '../../../common/protocol.ts';
import type { EventRecord, Store, TimerState } from '../store/types.ts';
import { SessionTimers, type Clock, type TimerHandlers, type Transition } from './timer.ts';

/** The timers of the sessions this node may arm. */
export interface TimerArm {
  schedule(sessionId: string, deadline: number): void;
  cancel(sessionId: string): void;
  cancelAll(): void;
}

/** The timer state that holds after a commit, or why the change no longer applies (and what holds). */
export type Committed = { ok: true; value: TimerState } | { ok: false; error: ErrorReply; stored: TimerState };

export interface Coordination {
  timers(clock: Clock, handlers: TimerHandlers): TimerArm;
  /**
   * Stores a timer transition. `next` was computed from this node's memory; with several nodes the
   * transition is computed again by `redo` from the stored state, under a lock, so two nodes
   * can never both start or both end a session.
   */
  commitTimer(sessionId: string, next: TimerState, redo: (stored: TimerState) => Transition, event: (t: TimerState) => Omit<EventRecord, 'id' | 'sessionId'>): Promise<Committed>;
  /** Runs the final grading unless another node is already doing it. */
  finalGrading(sessionId: string, grade: () => Promise<void>): Promise<void>;
  /** One manual run per session across nodes (see RunsOptions.claim); absent for one process. */
  claimRun?: (sessionId: string) => Promise<(() => void) | null>;
}

export function localCoordination(store: Store): Coordination {
  return {
    timers: (clock, handlers) => new SessionTimers(clock, handlers),
    async commitTimer(sessionId, next, _redo, event) {
      await store.setTimer(sessionId, next, event(next));
      return { ok: true, value: next };
    },
    finalGrading: (_sessionId, grade) => grade(),
  };
}

export function timerStateOf(t: TimerState): TimerState {
  return { status: t.status, durationMs: t.durationMs, startedAt: t.startedAt, deadline: t.deadline, endedAt: t.endedAt };
}
