import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../../server/src/realtime/index.ts';

describe('the address connections are counted by', () => {
  const viaProxy = { address: '10.0.0.2', headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } };

  it('is the peer unless a proxy is trusted: a forged header changes nothing', () => {
    expect(clientAddress(viaProxy, false)).toBe('10.0.0.2');
  });

  it("is the client named first in X-Forwarded-For behind a trusted proxy, so users behind one proxy don't share one allowance", () => {
    expect(clientAddress(viaProxy, true)).toBe('203.0.113.7');
    expect(clientAddress({ address: '10.0.0.2', headers: {} }, true)).toBe('10.0.0.2');
  });
});
