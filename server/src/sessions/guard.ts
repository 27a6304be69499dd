// The one way into an operation on a session: the loaded session, its deadline settled first (so an
// overdue session is ended before anyone acts on it), and the policy's answer for this role now.
// Every part of the service (edits, timer, hints, runs, notes, signals) enters through it.
import { denial, type Action, type Denial } from '../../../common/policy.ts';
import type { Result } from '../../../common/protocol.ts';
import { fail } from './errors.ts';
import type { Live, LiveSessions } from './live.ts';
import type { Identity } from './service-types.ts';

export interface Admission {
  live: Live;
  /** Null when the policy allows the action; otherwise why not (see also `refusal`). */
  denial: Denial | null;
  /** The denial as a failed Result to return as is, or null. */
  refusal: Result<never> | null;
}

export type Enter = (who: Pick<Identity, 'sessionId' | 'role'>, action: Action) => Admission;

export function sessionGuard(lives: LiveSessions, settleDeadline: (live: Live) => void): Enter {
  return (who, action) => {
    const live = lives.must(who.sessionId);
    settleDeadline(live);
    const no = denial(live.record.mode, who.role, live.record.status, action);
    return { live, denial: no, refusal: no ? fail(no.code, no.message) : null };
  };
}
