import { describe, expect, it } from 'vitest';
import { peerState, sampleLink, type StatLike } from '../../../client/src/room/call-quality.ts';

const pair = (rtt: number, nominated = true): StatLike => ({ type: 'candidate-pair', state: 'succeeded', nominated, currentRoundTripTime: rtt });
const inbound = (packetsReceived: number, packetsLost: number): StatLike => ({ type: 'inbound-rtp', packetsReceived, packetsLost });

describe('call link quality', () => {
  it('is poor when the nominated pair round-trips over 400 ms; other pairs do not count', () => {
    const none = { packets: 0, lost: 0 };
    expect(sampleLink([pair(0.05), inbound(100, 0)], none).poor).toBe(false);
    expect(sampleLink([pair(0.45), inbound(100, 0)], none).poor).toBe(true);
    expect(sampleLink([pair(0.05), pair(0.9, false), inbound(100, 0)], none).poor).toBe(false);
  });

  it('is poor when more than 5% of the packets since the last sample were lost, over audio and video together', () => {
    const first = sampleLink([pair(0.05), inbound(500, 0), inbound(500, 0)], { packets: 0, lost: 0 });
    expect(first).toEqual({ count: { packets: 1000, lost: 0 }, poor: false });
    // 1000 more received, 80 lost: 80 / 1080 = 7.4%.
    const lossy = sampleLink([pair(0.05), inbound(1000, 40), inbound(1000, 40)], first.count);
    expect(lossy.poor).toBe(true);
    // The same totals later: no new loss, the link recovered though its history had losses.
    expect(sampleLink([pair(0.05), inbound(1500, 40), inbound(1500, 40)], lossy.count).poor).toBe(false);
    // 4% since the last sample stays "connected".
    expect(sampleLink([inbound(1000, 0)], { packets: 0, lost: 0 }).poor).toBe(false);
    expect(sampleLink([inbound(960, 40)], { packets: 0, lost: 0 }).poor).toBe(false);
  });

  it('never counts a negative loss when late packets lower the lost count', () => {
    expect(sampleLink([inbound(2000, 10)], { packets: 1000, lost: 50 }).poor).toBe(false);
  });

  it('names the state people see from the connection and the sample', () => {
    expect(peerState('new', false)).toBe('connecting');
    expect(peerState('connecting', true)).toBe('connecting');
    expect(peerState('connected', false)).toBe('connected');
    expect(peerState('connected', true)).toBe('poor connection');
    expect(peerState('disconnected', false)).toBe('poor connection');
    expect(peerState('failed', false)).toBe('connection failed');
  });
});
