// What a timer change means to the people in the room, as one toast. Pure, so it is unit-tested.
import type { Mode } from '../../../common/policy.ts';
import type { Role, SessionStatus, TimerView } from '../../../common/protocol.ts';
import { finalCause } from './history.ts';
import { formatMmSs } from './timer.ts';

export interface Notice {
  text: string;
  tone: 'ok' | 'warn' | 'info';
}

/** The toast for a 'timer:update', or null when nothing anyone should notice changed. */
export function timerNotice(prev: TimerView | null, prevStatus: SessionStatus, next: TimerView, status: SessionStatus, role: Role, mode: Mode): Notice | null {
  const practice = mode === 'practice';
  if (prevStatus === 'waiting' && status === 'live') {
    return { text: role === 'candidate' ? 'The timer has started. Good luck!' : 'The timer has started.', tone: 'ok' };
  }
  if (prevStatus !== 'ended' && status === 'ended') {
    const cause = finalCause(next, mode);
    if (practice) return { text: cause === 'deadline' ? 'Time is up: your code was submitted.' : 'Submitted: grading every test…', tone: 'warn' };
    return { text: cause === 'deadline' ? 'Time is up: the interview has ended.' : 'The interviewer ended the interview.', tone: 'warn' };
  }
  // Added time moves everyone's clock: say so, with the new time left, so nobody is surprised.
  if (prev && status !== 'ended' && next.durationMs > prev.durationMs) {
    const minutes = Math.round((next.durationMs - prev.durationMs) / 60_000);
    const who = role === 'mentor' ? 'You added' : 'The interviewer added';
    const left = next.deadline !== null ? next.deadline - next.serverNow : next.durationMs;
    return { text: `${who} ${minutes} minute${minutes === 1 ? '' : 's'}: ${formatMmSs(left)} left.`, tone: 'info' };
  }
  return null;
}
