// Hints revealed during a practice attempt are moments of its replay: a marker of their own kind,
// in time order with the runs, saying which hint and what it said.
import { describe, expect, it } from 'vitest';
import type { ReviewData } from '../../../common/review.ts';
import { jump, markersOf } from '../../../client/src/review/timeline.ts';

const attempt = (mode: 'practice' | 'interview') =>
  ({
    session: { mode, startedAt: 1_000, createdAt: 0, endedAt: 600_000 },
    participants: [{ id: 's1', name: 'Sam', role: 'candidate' }],
    updates: [],
    notes: [],
    runs: [{ kind: 'manual', requestedAt: 121_000, status: 'ok', passed: 2, total: 5, cases: [] }],
    events: [
      { at: 61_000, type: 'hint', participantId: 's1', data: { number: 1, text: 'Keep the count apart from the indexes.' } },
      { at: 181_000, type: 'hint', participantId: 's1', data: { number: 2, text: `Wrap around with a comparison, not a modulo. ${'x'.repeat(100)}` } },
      { at: 300_000, type: 'end', participantId: 's1', data: {} },
    ],
  }) as unknown as ReviewData;

describe('hints on the replay timeline', () => {
  it('puts each revealed hint at its instant, between the runs, with its number and text', () => {
    const markers = markersOf(attempt('practice'));
    expect(markers.map((m) => [m.t, m.kind])).toEqual([
      [60_000, 'hint'],
      [120_000, 'run-fail'],
      [180_000, 'hint'],
      [299_000, 'timer'],
    ]);
    expect(markers[0]).toEqual({ t: 60_000, kind: 'hint', label: 'Sam revealed hint 1: Keep the count apart from the indexes.', ref: { events: 0 } });
    expect(markers[2]!.label).toMatch(/^Sam revealed hint 2: Wrap around with a comparison, not a modulo\. x+…$/);
    expect(markers[2]!.label.length).toBeLessThan(120);
  });

  it('says a practice attempt was submitted, not ended by an interviewer', () => {
    expect(markersOf(attempt('practice')).at(-1)!.label).toBe('Submitted');
    expect(markersOf(attempt('interview')).at(-1)!.label).toBe('Ended early by the interviewer');
  });

  it('lets the replay jump from hint to hint', () => {
    const markers = markersOf(attempt('practice'));
    const isHint = (m: { kind: string }) => m.kind === 'hint';
    expect(jump(markers, 0, 1, isHint)).toBe(60_000);
    expect(jump(markers, 60_000, 1, isHint)).toBe(180_000);
    expect(jump(markers, 180_000, 1, isHint)).toBeNull();
  });
});
