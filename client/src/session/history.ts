// The room's run history as a pure view-model: each run's number, interview time, who ran it and
// its outcome, and why the final grading happened. No DOM, so it is unit-tested.
import type { Mode } from '../../../common/policy.ts';
import type { RunView, TimerView } from '../../../common/protocol.ts';
import type { Tone } from './results.ts';

/** Why a session's final grading ran: the server ends at the deadline itself or earlier on request. */
export type FinalCause = 'ended_early' | 'deadline' | 'submitted';

/**
 * The server's endTimer() stamps `endedAt = deadline` when the deadline passed and `now` when the
 * session is ended before it, so the timer alone says which one happened.
 */
export function finalCause(timer: Pick<TimerView, 'deadline' | 'endedAt'>, mode: Mode): FinalCause | null {
  if (timer.endedAt === null) return null;
  if (timer.deadline !== null && timer.endedAt >= timer.deadline) return 'deadline';
  return mode === 'practice' ? 'submitted' : 'ended_early';
}

export const FINAL_CAUSE_TEXT: Record<FinalCause, string> = {
  ended_early: 'ended early by the interviewer',
  deadline: 'graded at the deadline',
  submitted: 'submitted before the deadline',
};

/** mm:ss of elapsed time (minutes may exceed 59), rounded down like a stopwatch. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export interface HistoryEntry {
  id: string;
  /** "#3", or "Final". */
  label: string;
  /** Interview time of the result, mm:ss since the start; "before start" for a run while waiting. */
  time: string;
  who: string;
  outcome: string;
  tone: Tone;
}

function outcomeOf(run: RunView): { outcome: string; tone: Tone } {
  if (run.status === 'compile_error') return { outcome: 'compile error', tone: 'error' };
  if (run.status === 'rejected') return { outcome: 'rejected', tone: 'error' };
  return { outcome: `${run.passed}/${run.total} passed`, tone: run.total > 0 && run.passed === run.total ? 'pass' : 'fail' };
}

/** Newest first. `youName`: the viewer's own runs read "you". */
export function historyEntries(runs: RunView[], timer: Pick<TimerView, 'startedAt' | 'deadline' | 'endedAt'>, mode: Mode, youName?: string): HistoryEntry[] {
  return [...runs]
    .sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || a.at - b.at)
    .reverse()
    .map((run) => {
      const final = run.kind === 'final';
      const cause = final ? finalCause(timer, mode) : null;
      const time = timer.startedAt === null || run.at < timer.startedAt ? 'before start' : formatElapsed(run.at - timer.startedAt);
      const who = final ? (cause ? FINAL_CAUSE_TEXT[cause] : 'final grading') : run.requestedBy === youName ? 'you' : run.requestedBy;
      return { id: run.id, label: final ? 'Final' : `#${run.number ?? '?'}`, time, who, ...outcomeOf(run) };
    });
}
