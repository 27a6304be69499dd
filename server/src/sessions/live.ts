// Sessions held in memory (while anyone is connected, while live, while a run is pending): loading
// them once however many connections arrive together, and what belongs to one loaded session.
import type { Exercise, ExerciseCatalog } from '../exercises/types.ts';
import { saveExactSnapshot, storedDoc } from '../history/stored.ts';
import type { ParticipantRecord, SessionRecord, Store } from '../store/types.ts';
import { SessionDoc } from './doc.ts';
import { ServiceError } from './errors.ts';

export interface Live {
  record: SessionRecord;
  exercise: Exercise;
  doc: SessionDoc;
  participants: Map<string, ParticipantRecord>;
  /** participant id -> open connections */
  online: Map<string, number>;
  /** Connections attached or being attached. */
  conns: number;
  /** When recent runs were asked for (practice attempts are bounded per minute). */
  runTimes: number[];
  /** New display names whose participant rows are being created (see presence.checkNewName). */
  namesPending: number;
}

export class LiveSessions {
  private lives = new Map<string, Live>();
  private loading = new Map<string, Promise<Live>>();

  constructor(
    private readonly store: Store,
    private readonly catalog: ExerciseCatalog,
    /** Wires a freshly loaded document's awareness to the room. */
    private readonly onAwareness: (sessionId: string, update: Uint8Array, exceptConnId: string | null) => void,
  ) {}

  get(sessionId: string): Live | undefined {
    return this.lives.get(sessionId);
  }

  must(sessionId: string): Live {
    const live = this.lives.get(sessionId);
    if (!live) throw new ServiceError('not_found', 'The session is not loaded; reconnect.');
    return live;
  }

  /** The loaded session, waiting for a load in progress; undefined when it is not loaded here. */
  async whenLoaded(sessionId: string): Promise<Live | undefined> {
    const loading = this.loading.get(sessionId);
    if (loading) return loading.catch(() => undefined);
    return this.lives.get(sessionId);
  }

  /** Whether `live` is still the loaded copy (not evicted or unloaded meanwhile). */
  isCurrent(live: Live): boolean {
    return this.lives.get(live.record.id) === live;
  }

  delete(sessionId: string): void {
    this.lives.delete(sessionId);
  }

  all(): Live[] {
    return [...this.lives.values()];
  }

  clear(): void {
    this.lives.clear();
  }

  /** The loaded session, loading it (once, however many callers wait) when needed. */
  async load(sessionId: string): Promise<Live> {
    const have = this.lives.get(sessionId);
    if (have) return have;
    let p = this.loading.get(sessionId);
    if (!p) {
      p = this.loadFromStore(sessionId).finally(() => this.loading.delete(sessionId));
      this.loading.set(sessionId, p);
    }
    return p;
  }

  private async loadFromStore(sessionId: string): Promise<Live> {
    const record = await this.store.getSession(sessionId);
    if (!record) throw new ServiceError('not_found', 'No such session.');
    const exercise = this.catalog.get(record.exerciseSlug);
    if (!exercise) throw new ServiceError('not_found', `The exercise '${record.exerciseSlug}' is no longer installed.`);
    const { snapshot, updates } = await storedDoc(this.store, sessionId);
    const doc = new SessionDoc((u, except) => this.onAwareness(sessionId, u, except));
    doc.load(snapshot, updates, await storedBytesOf(this.store, sessionId));
    const participants = new Map((await this.store.listParticipants(sessionId)).map((p) => [p.id, p]));
    const live: Live = { record, exercise, doc, participants, online: new Map(), conns: 0, runTimes: [], namesPending: 0 };
    this.lives.set(sessionId, live);
    return live;
  }
}

/**
 * What a session already stores, counted once when it loads and kept as a running total after
 * that. The Store has no size query, so the rows are read: bounded by LIMITS.sessionStoredBytes.
 */
async function storedBytesOf(store: Store, sessionId: string): Promise<number> {
  let total = 0;
  for (const u of await store.listUpdates(sessionId)) total += u.bytes.byteLength;
  // Snapshots, newest first: each one is at or before the previous one's last update.
  let upTo = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < 100_000; i++) {
    const snap = await store.snapshotAtOrBefore(sessionId, upTo);
    if (!snap) break;
    total += snap.bytes.byteLength;
    if (snap.lastUpdateId <= 0) break;
    upTo = snap.lastUpdateId - 1;
  }
  return total;
}

/**
 * Applies an update another node stored. Should one have been missed (a relay lost while Redis
 * reconnected), the document catches up from the store: applying what it has is harmless.
 */
export async function applyStoredUpdate(store: Store, live: Live, update: Uint8Array, updateId: number): Promise<void> {
  if (!live.doc.applyStored(update)) {
    const { snapshot, updates } = await storedDoc(store, live.record.id);
    live.doc.catchUp(snapshot, updates);
  }
  live.doc.stored(updateId, update.byteLength, 'relay');
}

/** An exact snapshot (history module) up to the last committed update, when there is news. */
export async function snapshotLive(store: Store, live: Live, now: number): Promise<void> {
  if (!live.doc.takeSnapshotDue()) return;
  const before = await store.latestSnapshot(live.record.id);
  await saveExactSnapshot(store, live.record.id, live.doc.lastUpdateId, now);
  const after = await store.latestSnapshot(live.record.id);
  if (after && after.lastUpdateId !== before?.lastUpdateId) live.doc.snapshotStored(after.bytes.byteLength);
}

export function nameOf(live: Live | undefined, participantId: string | null): string {
  if (participantId === null) return 'Server';
  return live?.participants.get(participantId)?.name ?? 'Someone';
}

/** Background work the service started (timer effects, gradings): tracked so close() and tests can wait. */
export class Background {
  private tasks = new Set<Promise<unknown>>();

  constructor(
    private readonly log: (msg: string, err?: unknown) => void,
    /** What a task is, in the log line of one that failed. */
    private readonly what = 'background task',
  ) {}

  /** Failures are logged, never thrown at nobody. */
  track(p: Promise<unknown>): void {
    const settled = p.catch((err) => this.log(`${this.what} failed`, err));
    this.tasks.add(settled);
    void settled.finally(() => this.tasks.delete(settled));
  }

  async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
