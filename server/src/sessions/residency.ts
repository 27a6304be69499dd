// Which sessions stay in memory. A session is loaded while anyone is connected, while it is live and
// while a run is pending; then it is unloaded (snapshot, document freed). A document that went wrong
// is evicted and reloaded from the store; a deleted session is forgotten; close() unloads them all.
import type { LogFn } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { Emit } from './bus.ts';
import type { TimerArm } from './coordination.ts';
import { snapshotLive, type Background, type Live, type LiveSessions } from './live.ts';
import type { Clock } from './timer.ts';

export interface ResidencyDeps {
  store: Store;
  clock: Clock;
  log: LogFn;
  lives: LiveSessions;
  background: Background;
  emit: Emit;
  timers: TimerArm;
  /** Whether a test run or console run of the session is pending. */
  busy(sessionId: string): boolean;
  /** What the parts keep per session in memory (counters, latest console run), dropped with it. */
  forgetParts(sessionId: string): void;
}

export class Residency {
  constructor(private readonly d: ResidencyDeps) {}

  /** Frees an idle session: nobody connected, not live, nothing running. */
  maybeUnload(live: Live): void {
    if (live.conns > 0 || live.record.status === 'live' || this.d.busy(live.record.id)) return;
    if (!this.d.lives.isCurrent(live)) return;
    this.d.lives.delete(live.record.id);
    this.d.forgetParts(live.record.id);
    this.d.background.track(this.snapshot(live).finally(() => live.doc.destroy()));
  }

  /** Drops a document that can no longer be trusted; everyone reconnects to the stored one. */
  evict(live: Live): void {
    const { lives, timers } = this.d;
    lives.delete(live.record.id);
    timers.cancel(live.record.id);
    live.doc.destroy();
    this.d.emit('reset', live.record.id);
    // A live session needs its timer: reload it.
    if (live.record.status === 'live')
      this.d.background.track(lives.load(live.record.id).then((l) => l.record.deadline !== null && timers.schedule(l.record.id, l.record.deadline)));
  }

  /** The session was deleted: drop it from memory and disconnect everyone in it. */
  forget(sessionId: string): void {
    const live = this.d.lives.get(sessionId);
    this.d.timers.cancel(sessionId);
    this.d.emit('reset', sessionId);
    if (!live) return;
    this.d.lives.delete(sessionId);
    this.d.forgetParts(sessionId);
    live.doc.destroy();
  }

  /** Shutdown: every loaded session snapshotted and freed. */
  async closeAll(): Promise<void> {
    for (const live of this.d.lives.all()) {
      await this.snapshot(live).catch((err) => this.d.log('snapshot on close failed', err));
      live.doc.destroy();
    }
    this.d.lives.clear();
  }

  snapshot(live: Live): Promise<void> {
    return snapshotLive(this.d.store, live, this.d.clock.now());
  }
}
