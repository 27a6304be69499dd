// The replay's paste matching (which update carried a recorded paste) and the diff between runs.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../common/review.ts';
import { PASTE_WINDOW_MS, pasteUpdates, type UpdateFacts } from '../../../client/src/review/pastes.ts';
import { codeDiff } from '../../../client/src/review/run-diff.ts';

const paste = (at: number, participantId: string, chars: number): TimelineEvent => ({ at, type: 'paste', participantId, data: { chars, lines: 1, flagged: chars > 200 } });

describe('pasteUpdates', () => {
  const updates: UpdateFacts[] = [
    { at: 1_000, participantId: 'ada', inserted: 1 },
    { at: 1_100, participantId: 'bob', inserted: 300 }, // someone else's big edit
    { at: 1_200, participantId: 'ada', inserted: 298 }, // the paste (line ends normalised)
    { at: 1_300, participantId: 'ada', inserted: 1 },
    { at: 9_000, participantId: 'ada', inserted: 40 },
  ];

  it("finds the paster's largest update near the event, in either order, each update once", () => {
    const events = [paste(1_150, 'ada', 300), { at: 1_160, type: 'focus_lost', participantId: 'ada', data: {} } as TimelineEvent, paste(1_250, 'ada', 300)];
    expect([...pasteUpdates(events, updates)]).toEqual([[0, 2]]); // the second paste finds nothing left of its size
    expect([...pasteUpdates([paste(1_200 + PASTE_WINDOW_MS, 'ada', 290)], updates)]).toEqual([[0, 2]]);
  });

  it('leaves a paste unmatched when no update of that size is near', () => {
    expect(pasteUpdates([paste(1_200 + PASTE_WINDOW_MS + 1, 'ada', 300)], updates).size).toBe(0);
    expect(pasteUpdates([paste(9_000, 'ada', 100)], updates).size).toBe(0); // 40 < half of 100
    expect(pasteUpdates([paste(1_100, 'carol', 300)], updates).size).toBe(0);
  });
});

describe('codeDiff', () => {
  it('lists added and removed lines with context, and counts them', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\nh\ni\n';
    const d = codeDiff(before, after);
    expect(d).toMatchObject({ added: 2, removed: 1 });
    expect(d.lines.filter((l) => l.kind !== 'ctx').map((l) => `${l.kind} ${l.text}`)).toEqual(['hunk @@ lines 1-8 → 1-9 @@', 'del -d', 'add +D', 'add +i']);
    expect(codeDiff(before, before)).toEqual({ added: 0, removed: 0, lines: [] });
  });
});
