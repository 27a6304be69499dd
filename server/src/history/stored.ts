// The history module over the Store: bounded queries only (the newest snapshot at or before a
// point, then the updates between it and that point), so the cost does not grow with the log.
import type { Store } from '../store/types.ts';
import { encodeDoc, materializeFiles, type DocFiles, type HistorySnapshot, type HistoryUpdate } from './index.ts';

/** The stored document: the latest snapshot and every update after it. */
export async function storedDoc(store: Store, sessionId: string): Promise<{ snapshot: HistorySnapshot | undefined; updates: HistoryUpdate[] }> {
  const snapshot = await store.latestSnapshot(sessionId);
  return { snapshot, updates: await store.listUpdates(sessionId, snapshot?.lastUpdateId ?? 0) };
}

/** The files as they stood once update `updateId` (and every earlier one) was applied. */
export async function storedFilesAt(store: Store, sessionId: string, updateId: number): Promise<DocFiles> {
  const snap = await store.snapshotAtOrBefore(sessionId, updateId);
  return materializeFiles(snap, await store.listUpdates(sessionId, snap?.lastUpdateId ?? 0, updateId));
}

/** The solution's text as it stood once update `updateId` (and every earlier one) was applied. */
export async function storedTextAt(store: Store, sessionId: string, updateId: number): Promise<string> {
  return (await storedFilesAt(store, sessionId, updateId)).solution;
}

/**
 * Writes a snapshot holding exactly the updates up to `upToId`, built from stored rows rather
 * than the live document (which may already hold updates whose commit is still pending).
 */
export async function saveExactSnapshot(store: Store, sessionId: string, upToId: number, at: number): Promise<void> {
  const previous = await store.snapshotAtOrBefore(sessionId, upToId);
  if (previous && previous.lastUpdateId === upToId) return;
  const updates = await store.listUpdates(sessionId, previous?.lastUpdateId ?? 0, upToId);
  if (updates.length === 0) return;
  const { bytes, lastUpdateId } = encodeDoc(previous, updates);
  await store.saveSnapshot({ sessionId, at, lastUpdateId, bytes });
}
