// What the session service asks of "the other nodes". One process (the default) answers alone:
// its timers always fire. Several nodes (server/src/cluster/) answer with a lease per session (only
// its holder arms the timer), a relay of timer changes, and one final grading at a time; timer
// changes themselves are conditional in the store (sessions/timer-changes.ts).
import type { TimerState } from '../store/types.ts';
import { SessionTimers, type Clock, type TimerHandlers } from './timer.ts';

/** The timers of the sessions this node may arm. */
export interface TimerArm {
  schedule(sessionId: string, deadline: number): void;
  cancel(sessionId: string): void;
  cancelAll(): void;
}

export interface Coordination {
  timers(clock: Clock, handlers: TimerHandlers): TimerArm;
  /** Runs the final grading unless another node is already doing it. */
  finalGrading(sessionId: string, grade: () => Promise<void>): Promise<void>;
  /** One manual run per session across nodes (see RunsOptions.claim); absent for one process. */
  claimRun?: (sessionId: string) => Promise<(() => void) | null>;
  /** This node changed a session's timer (stored): the other nodes' copies follow. */
  timerChanged?: (sessionId: string, state: TimerState) => void;
}

export function localCoordination(): Coordination {
  return {
    timers: (clock, handlers) => new SessionTimers(clock, handlers),
    finalGrading: (_sessionId, grade) => grade(),
  };
}
