// Which document update carried each recorded paste. The candidate's page reports a paste (its
// size) as a timeline event, and the editor sends the pasted text as a document update; the two
// reach the server separately, a moment apart, in either order. Pure, so it is unit-tested.
import type { TimelineEvent } from '../../../common/review.ts';

/** How far apart (ms) a paste event and its update may be stamped. */
export const PASTE_WINDOW_MS = 5_000;

export interface UpdateFacts {
  at: number;
  participantId: string | null;
  /** Characters the update inserted. */
  inserted: number;
}

/**
 * For each paste event (by its index in `events`), the index of its update: among the same
 * participant's updates within PASTE_WINDOW_MS, the one that inserted the most, if that is at least
 * half the pasted size (Monaco may normalise line ends). Each update is one paste at most.
 */
export function pasteUpdates(events: readonly TimelineEvent[], updates: readonly UpdateFacts[]): Map<number, number> {
  const found = new Map<number, number>();
  const taken = new Set<number>();
  events.forEach((e, eventIndex) => {
    if (e.type !== 'paste' || !e.participantId) return;
    const chars = Number(e.data['chars'] ?? 0);
    let best = -1;
    for (let i = firstAt(updates, e.at - PASTE_WINDOW_MS); i < updates.length && updates[i]!.at <= e.at + PASTE_WINDOW_MS; i++) {
      const u = updates[i]!;
      if (u.participantId !== e.participantId || taken.has(i) || u.inserted * 2 < chars) continue;
      if (best < 0 || u.inserted > updates[best]!.inserted) best = i;
    }
    if (best >= 0) {
      found.set(eventIndex, best);
      taken.add(best);
    }
  });
  return found;
}

/** The first index whose `at` is at least `time` (updates are in time order). */
function firstAt(updates: readonly UpdateFacts[], time: number): number {
  let lo = 0;
  let hi = updates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (updates[mid]!.at < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
