// The session timer, authoritative on the server. Time comes from an injected Clock so tests can
// move it; transitions are pure functions; SessionTimers only schedules callbacks.
import type { ErrorReply, SessionStatus, TimerView } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { TimerState } from '../store/types.ts';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A clock that only moves when told to; timers fire in due order during advance(). */
export class ManualClock implements Clock {
  private t: number;
  private seq = 0;
  private timers = new Map<number, { due: number; fn: () => void }>();

  constructor(start = Date.UTC(2025, 0, 1, 9, 0, 0)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { due: this.t + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Moves time forward by ms, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      let next: [number, { due: number; fn: () => void }] | undefined;
      for (const e of this.timers) if (e[1].due <= target && (!next || e[1].due < next[1].due)) next = e;
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = Math.max(this.t, next[1].due);
      next[1].fn();
    }
    this.t = target;
  }
  pendingTimers(): number {
    return this.timers.size;
  }
}

export const MINUTE = 60_000;
export const WARNING_MINUTES = [5, 1] as const;
/** setTimeout fires at once for delays above 2^31-1 ms; longer waits are re-armed. */
const MAX_DELAY = 2_147_483_647;

type Transition = { ok: true; value: TimerState } | { ok: false; error: ErrorReply };
const fail = (code: ErrorReply['code'], message: string): Transition => ({ ok: false, error: { code, message } });

export function startTimer(t: TimerState, now: number): Transition {
  if (t.status === 'ended') return fail('session_ended', 'The session has ended.');
  if (t.status === 'live') return fail('conflict', 'The timer is already running.');
  return { ok: true, value: { ...t, status: 'live', startedAt: now, deadline: now + t.durationMs, endedAt: null } };
}

export function addTime(t: TimerState, minutes: number): Transition {
  if (t.status === 'ended') return fail('session_ended', 'The session has ended.');
  const ms = minutes * MINUTE;
  // Added time counts towards the same bound as the duration chosen at creation.
  const max = LIMITS.maxSessionMinutes * MINUTE;
  if (t.durationMs + ms > max) {
    const left = Math.max(0, Math.floor((max - t.durationMs) / MINUTE));
    return fail('conflict', `A session lasts at most ${LIMITS.maxSessionMinutes} minutes; at most ${left} more may be added.`);
  }
  return {
    ok: true,
    value: { ...t, durationMs: t.durationMs + ms, deadline: t.deadline === null ? null : t.deadline + ms },
  };
}

/** Ends the session: early (mentor) at `now`, or at the deadline itself when it has passed. */
export function endTimer(t: TimerState, now: number): Transition {
  if (t.status === 'ended') return fail('session_ended', 'The session has already ended.');
  const endedAt = t.deadline !== null && t.deadline <= now ? t.deadline : now;
  return { ok: true, value: { ...t, status: 'ended', endedAt } };
}

/** True once the deadline has passed, even if the deadline callback has not fired yet. */
export function isPastDeadline(t: TimerState, now: number): boolean {
  return t.status === 'live' && t.deadline !== null && now >= t.deadline;
}

export function timerView(t: TimerState, now: number): TimerView {
  return { durationMs: t.durationMs, startedAt: t.startedAt, deadline: t.deadline, endedAt: t.endedAt, serverNow: now };
}

export function effectiveStatus(t: TimerState, now: number): SessionStatus {
  return isPastDeadline(t, now) ? 'ended' : t.status;
}

export interface TimerHandlers {
  warning(sessionId: string, minutesLeft: number): void;
  deadline(sessionId: string): void;
}

/** Schedules the warnings and the deadline of every live session. */
export class SessionTimers {
  private handles = new Map<string, unknown[]>();

  constructor(
    private readonly clock: Clock,
    private readonly handlers: TimerHandlers,
  ) {}

  /** (Re)arms the timers of a session for this deadline; warnings already in the past are skipped. */
  schedule(sessionId: string, deadline: number): void {
    this.cancel(sessionId);
    const now = this.clock.now();
    const handles: unknown[] = [];
    for (const m of WARNING_MINUTES) {
      const at = deadline - m * MINUTE;
      if (at > now && at - now <= MAX_DELAY) {
        handles.push(this.clock.setTimeout(() => this.handlers.warning(sessionId, m), at - now));
      }
    }
    this.armDeadline(sessionId, deadline, handles);
    this.handles.set(sessionId, handles);
  }

  private armDeadline(sessionId: string, deadline: number, handles: unknown[]): void {
    const delay = deadline - this.clock.now();
    handles.push(
      this.clock.setTimeout(
        () => {
          if (this.clock.now() < deadline) this.armDeadline(sessionId, deadline, handles);
          else this.handlers.deadline(sessionId);
        },
        Math.min(Math.max(0, delay), MAX_DELAY),
      ),
    );
  }

  cancel(sessionId: string): void {
    for (const h of this.handles.get(sessionId) ?? []) this.clock.clearTimeout(h);
    this.handles.delete(sessionId);
  }

  cancelAll(): void {
    for (const id of [...this.handles.keys()]) this.cancel(id);
  }

  scheduled(): string[] {
    return [...this.handles.keys()];
  }
}
