import { describe, expect, it } from 'vitest';
import type { TimerView } from '../../../common/protocol.ts';
import { formatMmSs, receiveTimer, remainingMs, timerLevel } from '../../../client/src/session/timer.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

function live(serverNow: number, minutesLeft: number): TimerView {
  return {
    durationMs: 30 * MIN,
    startedAt: serverNow - (30 * MIN - minutesLeft * MIN),
    deadline: serverNow + minutesLeft * MIN,
    endedAt: null,
    serverNow,
  };
}

describe('formatMmSs', () => {
  it('formats minutes and seconds with leading zeros', () => {
    expect(formatMmSs(30 * MIN)).toBe('30:00');
    expect(formatMmSs(5 * MIN + 7_000)).toBe('05:07');
    expect(formatMmSs(65 * MIN)).toBe('65:00');
  });
  it('rounds up so 00:00 only shows when time is up', () => {
    expect(formatMmSs(1)).toBe('00:01');
    expect(formatMmSs(59_001)).toBe('01:00');
    expect(formatMmSs(0)).toBe('00:00');
  });
  it('clamps negative and non-finite values to 00:00', () => {
    expect(formatMmSs(-5_000)).toBe('00:00');
    expect(formatMmSs(Number.NaN)).toBe('00:00');
  });
});

describe('remainingMs with clock offset', () => {
  const serverNow = 1_700_000_000_000;

  it('is right when the client clock agrees with the server', () => {
    const t = receiveTimer(live(serverNow, 10), serverNow);
    expect(formatMmSs(remainingMs(t, 'live', serverNow))).toBe('10:00');
    expect(formatMmSs(remainingMs(t, 'live', serverNow + 61_000))).toBe('08:59');
  });

  it('is still right when the client clock is hours ahead or behind', () => {
    for (const skew of [3 * HOUR, -5 * HOUR, 37 * MIN]) {
      const localAtReceipt = serverNow + skew;
      const t = receiveTimer(live(serverNow, 10), localAtReceipt);
      expect(t.offsetMs).toBe(-skew);
      expect(formatMmSs(remainingMs(t, 'live', localAtReceipt))).toBe('10:00');
      expect(formatMmSs(remainingMs(t, 'live', localAtReceipt + 30_000))).toBe('09:30');
    }
  });

  it('never goes below zero after the deadline', () => {
    const t = receiveTimer(live(serverNow, 1), serverNow);
    expect(remainingMs(t, 'live', serverNow + 2 * MIN)).toBe(0);
    expect(formatMmSs(remainingMs(t, 'live', serverNow + 2 * MIN))).toBe('00:00');
  });

  it('shows the full duration while waiting and zero once ended', () => {
    const waiting: TimerView = { durationMs: 30 * MIN, startedAt: null, deadline: null, endedAt: null, serverNow };
    expect(formatMmSs(remainingMs(receiveTimer(waiting, 0), 'waiting', 123))).toBe('30:00');
    const ended: TimerView = { ...live(serverNow, 12), endedAt: serverNow };
    expect(remainingMs(receiveTimer(ended, serverNow), 'ended', serverNow)).toBe(0);
    expect(remainingMs(receiveTimer(live(serverNow, 12), serverNow), 'ended', serverNow)).toBe(0);
  });
});

describe('timerLevel', () => {
  it('warns at 5 minutes and at 1 minute', () => {
    expect(timerLevel(6 * MIN, 'live')).toBe('normal');
    expect(timerLevel(5 * MIN, 'live')).toBe('warn');
    expect(timerLevel(61_000, 'live')).toBe('warn');
    expect(timerLevel(60_000, 'live')).toBe('danger');
    expect(timerLevel(0, 'live')).toBe('ended');
    expect(timerLevel(30 * MIN, 'waiting')).toBe('waiting');
    expect(timerLevel(10 * MIN, 'ended')).toBe('ended');
  });
});
