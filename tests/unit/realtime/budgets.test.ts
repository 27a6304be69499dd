import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../../common/protocol.ts';
import { Budgets } from '../../../server/src/realtime/budgets.ts';
import type { Identity } from '../../../server/src/sessions/service.ts';

const person = (id: string, sessionId = 's1'): Identity => ({
  sessionId,
  mode: 'interview',
  role: 'observer',
  participant: { id, sessionId, role: 'observer', name: id, firstSeen: 0 },
});

let budgets: Budgets;
afterEach(() => budgets.close());

/** How many updates in a row are accepted before the first refusal (at most `cap` tried). */
function acceptedInARow(take: () => boolean, cap = 1000): number {
  let n = 0;
  while (n < cap && take()) n++;
  return n;
}

describe('budgets per participant and per session', () => {
  it('lets a participant send a burst of small cursor updates to a small room', () => {
    budgets = new Budgets();
    expect(acceptedInARow(() => budgets.takeAwareness(person('a'), 120, 2))).toBe(LIMITS.awarenessBurst);
  });

  it('bounds what a session relays: large states to a crowded room run out long before the count', () => {
    budgets = new Budgets();
    const bytes = 2_000;
    const recipients = 30;
    const expected = Math.floor(LIMITS.sessionAwarenessRelayBytesBurst / (bytes * recipients));
    expect(expected).toBeLessThan(LIMITS.awarenessBurst);
    // Spread over participants, so neither the per-participant nor the per-session count is what stops it.
    let n = 0;
    for (let p = 0; p < 40 && budgets.takeAwareness(person(`p${p}`), bytes, recipients); p++) n++;
    expect(n).toBe(expected);
    // Another session is not affected.
    expect(budgets.takeAwareness(person('q', 's2'), bytes, recipients)).toBe(true);
  });

  it('bounds connection log lines per session, and the next line written says how many were left out', async () => {
    budgets = new Budgets();
    const written = Array.from({ length: 50 }, () => budgets.logLine('s1').write).filter(Boolean).length;
    expect(written).toBeGreaterThanOrEqual(20);
    expect(written).toBeLessThan(25);
    expect(budgets.logLine('s2')).toEqual({ write: true, skipped: 0 }); // another session is not affected
    await new Promise((r) => setTimeout(r, 450)); // 5 lines a second come back
    expect(budgets.logLine('s1')).toEqual({ write: true, skipped: 50 - written });
  });

  it('refuses a paused participant at the handshake, by link and name, before any lookup', () => {
    budgets = new Budgets();
    const flooder = person('f');
    budgets.rememberHandshake('link-hash', 'Flood', flooder);
    expect(budgets.pausedHandshake('link-hash', 'Flood')).toBe(false);
    let refusals = 0;
    while (budgets.refused(flooder) && refusals < 10_000) refusals++;
    expect(budgets.paused(flooder)).toBe(true);
    expect(budgets.pausedHandshake('link-hash', 'Flood')).toBe(true);
    // Someone else on the same link, and a handshake never seen, still go through to authentication.
    expect(budgets.pausedHandshake('link-hash', 'Other')).toBe(false);
    expect(budgets.pausedHandshake('other-link', 'Flood')).toBe(false);
  });
});
