import { describe, expect, it } from 'vitest';
import { ManualClock, MINUTE, SessionTimers, addTime, endTimer, isPastDeadline, startTimer } from '../../../server/src/sessions/timer.ts';
import type { TimerState } from '../../../server/src/store/types.ts';

const waiting: TimerState = { status: 'waiting', durationMs: 30 * MINUTE, startedAt: null, deadline: null, endedAt: null };

describe('timer transitions', () => {
  it('start sets startedAt and deadline; a second start is a conflict', () => {
    const s = startTimer(waiting, 1000);
    expect(s).toEqual({ ok: true, value: { ...waiting, status: 'live', startedAt: 1000, deadline: 1000 + 30 * MINUTE } });
    if (!s.ok) throw new Error();
    expect(startTimer(s.value, 2000)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('add extends the deadline (or the duration while waiting)', () => {
    expect(addTime(waiting, 5)).toMatchObject({ ok: true, value: { durationMs: 35 * MINUTE, deadline: null } });
    const live = { ...waiting, status: 'live' as const, startedAt: 0, deadline: 30 * MINUTE };
    expect(addTime(live, 10)).toMatchObject({ ok: true, value: { deadline: 40 * MINUTE, durationMs: 40 * MINUTE } });
  });

  it('add never takes a session past LIMITS.maxSessionMinutes', () => {
    const long = { ...waiting, durationMs: 170 * MINUTE };
    expect(addTime(long, 10)).toMatchObject({ ok: true, value: { durationMs: 180 * MINUTE } });
    expect(addTime(long, 11)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/at most 10 more/) } });
  });

  it('end records the deadline itself when it has passed, else now; ended refuses everything', () => {
    const live = { ...waiting, status: 'live' as const, startedAt: 0, deadline: 100 };
    expect(endTimer(live, 50)).toMatchObject({ ok: true, value: { status: 'ended', endedAt: 50 } });
    expect(endTimer(live, 500)).toMatchObject({ ok: true, value: { status: 'ended', endedAt: 100 } });
    expect(isPastDeadline(live, 100)).toBe(true);
    expect(isPastDeadline(live, 99)).toBe(false);
    const ended = { ...live, status: 'ended' as const, endedAt: 100 };
    for (const r of [startTimer(ended, 1), addTime(ended, 1), endTimer(ended, 1)]) expect(r).toMatchObject({ ok: false, error: { code: 'session_ended' } });
  });
});

describe('SessionTimers', () => {
  it('fires warnings at 5 and 1 minutes, then the deadline', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const t = new SessionTimers(clock, { warning: (id, m) => fired.push(`${id}:warn${m}@${clock.now()}`), deadline: (id) => fired.push(`${id}:end@${clock.now()}`) });
    t.schedule('s', 10 * MINUTE);
    clock.advance(10 * MINUTE);
    expect(fired).toEqual([`s:warn5@${5 * MINUTE}`, `s:warn1@${9 * MINUTE}`, `s:end@${10 * MINUTE}`]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('re-arms on a new deadline and skips warnings already in the past', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const t = new SessionTimers(clock, { warning: (_id, m) => fired.push(`warn${m}`), deadline: () => fired.push('end') });
    t.schedule('s', 3 * MINUTE); // 5-minute warning already past
    clock.advance(2 * MINUTE + 1); // the 1-minute warning fired
    t.schedule('s', 3 * MINUTE + 10 * MINUTE); // +10 min: both warnings are ahead again
    clock.advance(20 * MINUTE);
    expect(fired).toEqual(['warn1', 'warn5', 'warn1', 'end']);
  });

  it('cancel stops everything', () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const t = new SessionTimers(clock, { warning: () => fired.push('w'), deadline: () => fired.push('d') });
    t.schedule('s', MINUTE * 30);
    t.cancel('s');
    clock.advance(MINUTE * 60);
    expect(fired).toEqual([]);
  });
});
