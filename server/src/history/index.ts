// A session's document history: rebuild the document from a snapshot plus the updates after it,
// and seek to any point of the update log. Pure Yjs (no Node, no storage), so the replay page in
// the browser runs the same code as the server's loading, snapshots and "test this moment".
import * as Y from 'yjs';
import { SCRATCH_TEXT } from '../../../common/console.ts';
import { DOC_TEXT } from '../../../common/protocol.ts';

export interface HistoryUpdate {
  id: number;
  /** Server time (epoch ms) the update was accepted. */
  at: number;
  /** Who made it; null for the server (the starter). */
  participantId: string | null;
  bytes: Uint8Array;
}

export interface HistorySnapshot {
  /** The snapshot holds exactly the updates with id <= lastUpdateId. */
  lastUpdateId: number;
  bytes: Uint8Array;
}

/**
 * Applies `snapshot` (if any) and then `updates` (ids above the snapshot's, in id order) to `doc`
 * in one transaction. Returns the id of the last update the document now holds.
 */
export function materializeInto(doc: Y.Doc, snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): number {
  let last = snapshot?.lastUpdateId ?? 0;
  Y.transact(doc, () => {
    if (snapshot) Y.applyUpdate(doc, snapshot.bytes);
    for (const u of updates) {
      if (u.id <= last) continue; // already in the snapshot
      Y.applyUpdate(doc, u.bytes);
      last = u.id;
    }
  });
  return last;
}

/** The files a session's document holds: the solution and the console's scratch file. */
export interface DocFiles {
  solution: string;
  scratch: string;
}

/** The files of the document made of `snapshot` + `updates`. */
export function materializeFiles(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): DocFiles {
  const doc = new Y.Doc();
  try {
    materializeInto(doc, snapshot, updates);
    return { solution: doc.getText(DOC_TEXT).toString(), scratch: doc.getText(SCRATCH_TEXT).toString() };
  } finally {
    doc.destroy();
  }
}

/** The solution's text of the document made of `snapshot` + `updates`. */
export function materializeText(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): string {
  return materializeFiles(snapshot, updates).solution;
}

/** A snapshot's bytes: the whole document state as one update. */
export function encodeDoc(snapshot: HistorySnapshot | undefined, updates: readonly Pick<HistoryUpdate, 'id' | 'bytes'>[]): { bytes: Uint8Array; lastUpdateId: number } {
  const doc = new Y.Doc();
  try {
    const lastUpdateId = materializeInto(doc, snapshot, updates);
    return { bytes: Y.encodeStateAsUpdate(doc), lastUpdateId };
  } finally {
    doc.destroy();
  }
}

/** A run of text typed by one author (participant id; null = the server's starter). */
export interface AuthorSpan {
  start: number;
  end: number;
  author: string | null;
  /** Text a paste put there: the index of the update that carried it (see History.markPasted). */
  pasted?: number;
}

/** Ids of the characters one update inserted: clocks from..to (exclusive) of a Yjs client. */
interface Inserted {
  client: number;
  from: number;
  to: number;
}

export interface Instant {
  /** Index into the update log of the last update applied; -1 = before the first. */
  index: number;
  text: string;
  spans: AuthorSpan[];
  /** The scratch console's file (common/console.ts) at that instant. */
  scratch: string;
}

interface Checkpoint {
  index: number;
  state: Uint8Array;
}

/**
 * The whole update log of a session, seekable. One forward pass at construction records a
 * checkpoint (the encoded document) every `checkpointEvery` updates and which participant owns
 * each Yjs client id; a seek restores the nearest checkpoint at or before the target and applies
 * at most `checkpointEvery` updates. Seeking forward from the current position (playback) only
 * applies the updates in between.
 */
export class History {
  readonly updates: readonly HistoryUpdate[];
  private readonly checkpoints: Checkpoint[] = [];
  private readonly authorOfClient = new Map<number, string | null>();
  /** Per update (by index), the character ids it inserted. */
  private readonly inserted: Inserted[][] = [];
  /** Ranges of pasted character ids by Yjs client, with the update that pasted them. */
  private pasted = new Map<number, Array<Inserted & { index: number }>>();
  private doc: Y.Doc | null = null;
  private position = -1;

  constructor(
    updates: readonly HistoryUpdate[],
    private readonly checkpointEvery = 100,
  ) {
    for (let i = 1; i < updates.length; i++) {
      if (updates[i]!.id <= updates[i - 1]!.id) throw new Error(`update ids must increase (${updates[i]!.id} after ${updates[i - 1]!.id})`);
    }
    this.updates = updates;
    const doc = new Y.Doc();
    let sender: string | null = null;
    // A Yjs client id belongs to whoever first sent structs made by it (ids are per browser tab):
    // after each update, the clients whose clock advanced are the ones it carried.
    let added: Inserted[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [client, clock] of tr.afterState) {
        const before = tr.beforeState.get(client) ?? 0;
        if (clock <= before) continue;
        added.push({ client, from: before, to: clock });
        if (!this.authorOfClient.has(client)) this.authorOfClient.set(client, sender);
      }
    });
    updates.forEach((u, i) => {
      sender = u.participantId;
      added = [];
      Y.applyUpdate(doc, u.bytes);
      this.inserted.push(added);
      if ((i + 1) % checkpointEvery === 0) this.checkpoints.push({ index: i, state: Y.encodeStateAsUpdate(doc) });
    });
    doc.destroy();
  }

  get length(): number {
    return this.updates.length;
  }

  /** Index of the last update accepted at or before `time` (epoch ms); -1 when none. */
  indexAt(time: number): number {
    return lastIndex(this.updates.length, (i) => this.updates[i]!.at <= time);
  }

  /** Index of the update with this id, or of the last one before it; -1 when none. */
  indexOfId(id: number): number {
    return lastIndex(this.updates.length, (i) => this.updates[i]!.id <= id);
  }

  /** The document after the update at `index` (clamped to the log). */
  seek(index: number): Instant {
    const target = Math.max(-1, Math.min(index, this.updates.length - 1));
    const forward = this.doc !== null && target >= this.position && target - this.position <= this.checkpointEvery;
    if (!forward) {
      this.doc?.destroy();
      this.doc = new Y.Doc();
      this.position = -1;
      const checkpoint = this.nearestCheckpoint(target);
      if (checkpoint) {
        Y.applyUpdate(this.doc, checkpoint.state);
        this.position = checkpoint.index;
      }
    }
    const doc = this.doc!;
    Y.transact(doc, () => {
      for (let i = this.position + 1; i <= target; i++) Y.applyUpdate(doc, this.updates[i]!.bytes);
    });
    this.position = target;
    const text = doc.getText(DOC_TEXT);
    return { index: target, text: text.toString(), spans: this.spansOf(text), scratch: doc.getText(SCRATCH_TEXT).toString() };
  }

  /** Participant ids that typed in this session (null = the starter). */
  authors(): (string | null)[] {
    return [...new Set(this.authorOfClient.values())];
  }

  /** How many characters the update at `index` inserted (in either file). */
  insertedLength(index: number): number {
    return (this.inserted[index] ?? []).reduce((n, r) => n + r.to - r.from, 0);
  }

  /**
   * Marks what the updates at `indices` inserted as pasted: later seeks tag those characters'
   * spans with the update's index (AuthorSpan.pasted), for as long as they stay in the text.
   */
  markPasted(indices: Iterable<number>): void {
    this.pasted = new Map();
    for (const index of indices) {
      for (const r of this.inserted[index] ?? []) {
        const list = this.pasted.get(r.client) ?? [];
        list.push({ ...r, index });
        this.pasted.set(r.client, list);
      }
    }
  }

  destroy(): void {
    this.doc?.destroy();
    this.doc = null;
  }

  /** Checkpoints sit after every `checkpointEvery`-th update, so the one at or before is found by division. */
  private nearestCheckpoint(index: number): Checkpoint | undefined {
    const k = Math.floor((index + 1) / this.checkpointEvery) - 1;
    return k >= 0 ? this.checkpoints[k] : undefined;
  }

  /**
   * Walks the text's items: each live string item belongs to the author of its client id. An item
   * (Yjs merges consecutive ones) may hold pasted and typed characters: it is cut at the pasted ranges.
   */
  private spansOf(text: Y.Text): AuthorSpan[] {
    const spans: AuthorSpan[] = [];
    let offset = 0;
    const push = (length: number, author: string | null, pasted: number | undefined) => {
      const last = spans[spans.length - 1];
      if (last && last.author === author && last.pasted === pasted && last.end === offset) last.end += length;
      else spans.push(pasted === undefined ? { start: offset, end: offset + length, author } : { start: offset, end: offset + length, author, pasted });
      offset += length;
    };
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable || !(item.content instanceof Y.ContentString)) continue;
      const author = this.authorOfClient.get(item.id.client) ?? null;
      const { client, clock } = item.id;
      const end = clock + item.length;
      let at = clock;
      for (const r of (this.pasted.get(client) ?? []).filter((x) => x.from < end && x.to > clock).sort((a, b) => a.from - b.from)) {
        const from = Math.max(r.from, at);
        const to = Math.min(r.to, end);
        if (from > at) push(from - at, author, undefined);
        if (to > from) push(to - from, author, r.index);
        at = Math.max(at, to);
      }
      if (end > at) push(end - at, author, undefined);
    }
    return spans;
  }
}

/** The largest i in [0, n) with pred(i), for a pred that holds on a prefix; -1 when none. */
function lastIndex(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
