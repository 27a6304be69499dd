// Join and leave of the call are moments of the replay: a marker of their own kind at their
// instant, saying who joined (with camera or audio only) or left. Nothing else of a call is kept.
import { describe, expect, it } from 'vitest';
import type { ReviewData } from '../../../common/review.ts';
import { markersOf } from '../../../client/src/review/timeline.ts';

const interview = {
  session: { mode: 'interview', startedAt: 1_000, createdAt: 0, endedAt: 600_000 },
  participants: [
    { id: 'm1', name: 'Mia', role: 'mentor' },
    { id: 'c1', name: 'Grace', role: 'candidate' },
  ],
  updates: [],
  notes: [],
  runs: [],
  events: [
    { at: 31_000, type: 'call', participantId: 'm1', data: { action: 'join', audio: true, video: true } },
    { at: 41_000, type: 'call', participantId: 'c1', data: { action: 'join', audio: false, video: false } },
    { at: 301_000, type: 'call', participantId: 'c1', data: { action: 'leave', audio: true, video: false } },
  ],
} as unknown as ReviewData;

describe('the call on the replay timeline', () => {
  it('marks each join and leave at its interview time, with who and how', () => {
    expect(markersOf(interview)).toEqual([
      { t: 30_000, kind: 'call', label: 'Mia joined the call (with camera)', ref: { events: 0 } },
      { t: 40_000, kind: 'call', label: 'Grace joined the call (audio only, muted)', ref: { events: 1 } },
      { t: 300_000, kind: 'call', label: 'Grace left the call', ref: { events: 2 } },
    ]);
  });
});
