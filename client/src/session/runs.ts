// Which test runs are in flight in the room, and what the run button should say. Pure: the
// room feeds it socket events. Results can overtake acks and 'run:queued' events, so finished
// runs are remembered and never resurrected as pending.
import type { RunQueued } from '../../../common/protocol.ts';

export class RunTracker {
  /** True while our own request waits for its ack. */
  requesting = false;
  private readonly pending = new Map<string, number>(); // runId -> queue position, 0 = running
  private readonly done = new Set<string>();
  private mine: string | null = null;

  queued(q: RunQueued): void {
    if (!this.done.has(q.runId)) this.pending.set(q.runId, q.position);
  }

  /** Our own request was accepted. */
  accepted(q: RunQueued): void {
    this.mine = q.runId;
    this.queued(q);
  }

  finished(runId: string): void {
    this.done.add(runId);
    this.pending.delete(runId);
    if (this.mine === runId) this.mine = null;
  }

  /** After a reconnection: in-flight runs are forgotten; their results still arrive. */
  reset(): void {
    this.pending.clear();
    this.mine = null;
  }

  get busy(): boolean {
    return this.requesting || this.pending.size > 0;
  }

  /** '' when idle; otherwise our own run's place, or the room's run in progress. */
  statusText(): string {
    if (this.requesting) return 'Sending…';
    if (this.pending.size === 0) return '';
    const position = (this.mine !== null ? this.pending.get(this.mine) : undefined) ?? Math.min(...this.pending.values());
    return position > 0 ? `Queued — position ${position}` : 'Running tests…';
  }
}
