// Timers across nodes: every node that holds a live session wants its timer, but only the holder
// of the session's lease arms it. The others keep the deadline and try the lease on every sweep,
// so when the owner dies one of them arms the timer within a lease lifetime.
import { SessionTimers, type Clock, type TimerHandlers } from '../sessions/timer.ts';
import type { TimerArm } from '../sessions/coordination.ts';
import type { Leases } from './leases.ts';

export const ownerKey = (sessionId: string) => `owner:${sessionId}`;

export class OwnedTimers implements TimerArm {
  private readonly armed: SessionTimers;
  /** Session -> its deadline, for every live session loaded on this node. */
  private readonly wanted = new Map<string, number>();

  constructor(
    clock: Clock,
    handlers: TimerHandlers,
    private readonly leases: Leases,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    this.armed = new SessionTimers(clock, handlers);
  }

  wants(sessionId: string): boolean {
    return this.wanted.has(sessionId);
  }

  owns(sessionId: string): boolean {
    return this.leases.holds(ownerKey(sessionId));
  }

  schedule(sessionId: string, deadline: number): void {
    this.wanted.set(sessionId, deadline);
    if (this.owns(sessionId)) this.armed.schedule(sessionId, deadline);
    else void this.claim(sessionId);
  }

  cancel(sessionId: string): void {
    this.wanted.delete(sessionId);
    this.armed.cancel(sessionId);
    this.leases.release(ownerKey(sessionId)).catch((err: unknown) => this.log(`releasing session ${sessionId} failed`, err));
  }

  cancelAll(): void {
    this.armed.cancelAll();
    this.wanted.clear();
  }

  /** Tries the lease of every wanted session this node does not own (the sweep calls it). */
  claimAll(): void {
    for (const id of this.wanted.keys()) if (!this.owns(id)) void this.claim(id);
  }

  private async claim(sessionId: string): Promise<void> {
    try {
      // Losing the lease (renewal found another owner) disarms; the next sweep tries again.
      const got = await this.leases.acquire(ownerKey(sessionId), () => this.armed.cancel(sessionId));
      if (!got) return;
      const deadline = this.wanted.get(sessionId);
      if (deadline === undefined) await this.leases.release(ownerKey(sessionId));
      else this.armed.schedule(sessionId, deadline);
    } catch (err) {
      this.log(`claiming session ${sessionId} failed`, err);
    }
  }
}
