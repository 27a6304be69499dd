// The review data's update log as the history module reads it (the same code the server runs).
import type { ReviewData } from '../../../common/review.ts';
import { History, type HistoryUpdate } from '../../../server/src/history/index.ts';

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function historyOf(data: ReviewData): History {
  const updates: HistoryUpdate[] = data.updates.map((u) => ({ id: u.id, at: u.at, participantId: u.by, bytes: decodeBase64(u.bytes) }));
  return new History(updates);
}
