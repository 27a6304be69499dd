// Group commit of document updates, for both SQL stores: the updates issued in the same turn, or
// while the previous batch commits, go into the next transaction together. One batch at a time,
// so ids are handed out in the order append was called and a session's updates commit in id order.
import type { UpdateRecord } from './types.ts';

export type NewUpdate = Omit<UpdateRecord, 'id'>;

/** How the store writes updates; the queue decides when and how many. */
export interface UpdateWriter {
  /** Writes the updates in one transaction; their ids, in order. */
  batch(updates: NewUpdate[]): Promise<number[]>;
  /** Writes one update alone; its id. */
  one(update: NewUpdate): Promise<number>;
}

interface PendingUpdate {
  record: NewUpdate;
  resolve: (id: number) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private pending: PendingUpdate[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly writer: UpdateWriter) {}

  /** Queues an update; resolves with its id once its batch has committed. */
  append(record: NewUpdate): Promise<number> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ record, resolve, reject });
      // Let the rest of this turn queue its updates too, unless a batch is committing already.
      if (!this.flushing) this.flushing = new Promise<void>((r) => setImmediate(r)).then(() => this.flushAll());
    });
  }

  /** Refuses new updates from now on; resolves once the queued ones are committed. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }

  /** Commits batches until nothing is queued; one batch (one transaction) at a time. */
  private async flushAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const ids = await this.writer.batch(batch.map((p) => p.record));
        batch.forEach((p, i) => p.resolve(ids[i]!));
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        // One refused update (its session was just deleted) must not fail the others: write each alone.
        else for (const p of batch) await this.writer.one(p.record).then(p.resolve, p.reject);
      }
    }
    this.flushing = null;
  }
}
