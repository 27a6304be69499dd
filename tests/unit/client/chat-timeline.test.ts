// Chat messages are moments of the replay (a marker of their own kind at their instant, saying who
// wrote what) and the report's chat section lists them with their authors and roles.
import { describe, expect, it } from 'vitest';
import type { ReviewData } from '../../../common/review.ts';
import { chatOf, markersOf } from '../../../client/src/review/timeline.ts';

const interview = {
  session: { mode: 'interview', startedAt: 1_000, createdAt: 0, endedAt: 600_000 },
  participants: [
    { id: 'm1', name: 'Mia', role: 'mentor' },
    { id: 'c1', name: 'Grace', role: 'candidate' },
  ],
  updates: [],
  notes: [],
  runs: [{ kind: 'manual', requestedAt: 121_000, status: 'ok', passed: 5, total: 5, cases: [] }],
  events: [
    { at: 500, type: 'chat', participantId: 'm1', data: { id: 'a', text: 'Hello before the start' } },
    { at: 91_000, type: 'chat', participantId: 'c1', data: { id: 'b', text: `Is \`len\` a size_t? ${'y'.repeat(100)}` } },
    { at: 700_000, type: 'chat', participantId: 'ghost', data: { id: 'c', text: 'after the end' } },
  ],
} as unknown as ReviewData;

describe('chat on the replay timeline and in the report', () => {
  it('puts each message at its interview time, among the runs, with its author and the start of its text', () => {
    const markers = markersOf(interview);
    expect(markers.map((m) => [m.t, m.kind])).toEqual([
      [0, 'chat'],
      [90_000, 'chat'],
      [120_000, 'run-pass'],
      [699_000, 'chat'],
    ]);
    expect(markers[0]).toEqual({ t: 0, kind: 'chat', label: 'Mia said: Hello before the start', ref: { events: 0 } });
    expect(markers[1]!.label).toMatch(/^Grace said: Is `len` a size_t\? y+…$/);
    expect(markers[3]!.label).toBe('Someone said: after the end');
  });

  it('lists the messages with names and roles from the participants', () => {
    expect(chatOf(interview).map((m) => [m.id, m.name, m.role, m.at])).toEqual([
      ['a', 'Mia', 'mentor', 500],
      ['b', 'Grace', 'candidate', 91_000],
      ['c', 'Someone', 'observer', 700_000],
    ]);
  });
});
