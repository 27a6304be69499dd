import { describe, expect, it } from 'vitest';
import { AddressLimits } from '../../../server/src/http/address-limit.ts';

describe('practice starts per address', () => {
  it('allows the hourly number, then says how long to wait; a refunded start can be taken again', () => {
    let now = 1_000_000;
    const limits = new AddressLimits(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limits.takeStart('203.0.113.7')).toEqual({ ok: true });
      now += 60_000;
    }
    // The first start was 3 minutes ago: it leaves the window in 57 minutes.
    expect(limits.takeStart('203.0.113.7')).toEqual({ ok: false, retryInS: 57 * 60 });
    expect(limits.takeStart('198.51.100.1')).toEqual({ ok: true }); // another address has its own hour
    limits.refundStart('198.51.100.1');
    limits.refundStart('203.0.113.7'); // gives back the third start
    expect(limits.takeStart('203.0.113.7')).toEqual({ ok: true });
    expect(limits.takeStart('203.0.113.7').ok).toBe(false);
    now += 57 * 60_000 + 1;
    expect(limits.takeStart('203.0.113.7')).toEqual({ ok: true });
  });

  it('hands cookie-less requests from one address the same identity for an hour', () => {
    let now = 0;
    let minted = 0;
    const limits = new AddressLimits(60, () => now);
    const mint = () => `token-${++minted}`;
    expect(limits.tokenFor('203.0.113.7', mint)).toBe('token-1');
    now += 59 * 60_000;
    expect(limits.tokenFor('203.0.113.7', mint)).toBe('token-1');
    expect(limits.tokenFor('198.51.100.1', mint)).toBe('token-2');
    now += 2 * 60_000;
    expect(limits.tokenFor('203.0.113.7', mint)).toBe('token-3');
  });
});
