// Pure timer maths. The server owns the clock; the browser only corrects for its own offset so
// that a laptop whose clock is wrong by hours still shows the right time left.
import type { SessionStatus, TimerView } from '../../../common/protocol.ts';

export const WARN_MS = 5 * 60_000;
export const DANGER_MS = 60_000;

/** A TimerView plus the offset measured when it arrived: serverNow - local clock at receipt. */
export interface ClockedTimer {
  view: TimerView;
  offsetMs: number;
}

export function receiveTimer(view: TimerView, localNow: number): ClockedTimer {
  return { view, offsetMs: view.serverNow - localNow };
}

/** Milliseconds left, never negative. Before the start the full duration is left. */
export function remainingMs(clocked: ClockedTimer, status: SessionStatus, localNow: number): number {
  const { view, offsetMs } = clocked;
  if (status === 'ended' || view.endedAt !== null) return 0;
  if (view.startedAt === null || view.deadline === null) return Math.max(0, view.durationMs);
  const serverNow = localNow + offsetMs;
  return Math.max(0, view.deadline - serverNow);
}

/** mm:ss, rounding up so "00:00" appears only when time is really up. Minutes may exceed 59. */
export function formatMmSs(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '00:00';
  const totalSeconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}

export type TimerLevel = 'waiting' | 'normal' | 'warn' | 'danger' | 'ended';

export function timerLevel(ms: number, status: SessionStatus): TimerLevel {
  if (status === 'waiting') return 'waiting';
  if (status === 'ended' || ms <= 0) return 'ended';
  if (ms <= DANGER_MS) return 'danger';
  if (ms <= WARN_MS) return 'warn';
  return 'normal';
}
