// Timer changes as the store takes them when several server nodes share one database: each one is
// conditional on the state it comes from, so of two nodes changing the same timer at once only
// one wins (and records its event); the other learns it did not apply, reloads the stored timer
// and shows that to its room. The writes of one session go out one at a time, in the order this
// node made them: a pool of database connections could otherwise run a later change before the
// earlier one it starts from.
import type { TimerView } from '../../../common/protocol.ts';
import { timerOf, type EventRecord, type Store, type TimerState } from '../store/types.ts';
import type { Live } from './live.ts';
import type { TimerArm } from './coordination.ts';
import { timerView, type Clock } from './timer.ts';

export interface TimerChangeDeps {
  store: Store;
  clock: Clock;
  timers: TimerArm;
  /** Whether `live` is still the loaded copy of its session. */
  isCurrent(live: Live): boolean;
  /** Shows the session's timer to its room. */
  announce(live: Live, view: TimerView): void;
}

export class TimerChanges {
  private last = new Map<string, Promise<boolean>>();

  constructor(private readonly d: TimerChangeDeps) {}

  /**
   * Memory first (so a concurrent request sees the new state), then the store, then the room.
   * Returns undefined, having recorded nothing, when another node changed the timer meanwhile.
   */
  async apply(live: Live, next: TimerState, type: EventRecord['type'], data: Record<string, unknown>): Promise<TimerView | undefined> {
    const from = timerOf(live.record);
    Object.assign(live.record, next);
    this.arm(live);
    const now = this.d.clock.now();
    if (!(await this.write(live.record.id, from, next, { at: now, type, data }))) {
      await this.reload(live);
      return undefined;
    }
    const view = timerView(live.record, now);
    this.d.announce(live, view);
    return view;
  }

  /** Schedules the warnings and deadline of a live session; cancels them otherwise. */
  arm(live: Live): void {
    if (live.record.status === 'live' && live.record.deadline !== null) this.d.timers.schedule(live.record.id, live.record.deadline);
    else this.d.timers.cancel(live.record.id);
  }

  /** Stores `from` -> `to` after this session's earlier timer writes; false if the store held another state. */
  private write(sessionId: string, from: TimerState, to: TimerState, event: Omit<EventRecord, 'id' | 'sessionId'>): Promise<boolean> {
    const before = this.last.get(sessionId) ?? Promise.resolve(true);
    const write = before.catch(() => false).then(() => this.d.store.setTimer(sessionId, from, to, event));
    this.last.set(sessionId, write);
    const forget = () => {
      if (this.last.get(sessionId) === write) this.last.delete(sessionId);
    };
    write.then(forget, forget);
    return write;
  }

  /** Takes the timer as stored (after this session's pending writes) and shows it to the room. */
  private async reload(live: Live): Promise<void> {
    await this.last.get(live.record.id)?.catch(() => false);
    const stored = await this.d.store.getSession(live.record.id);
    if (!stored || !this.d.isCurrent(live)) return;
    Object.assign(live.record, timerOf(stored));
    this.arm(live);
    this.d.announce(live, timerView(live.record, this.d.clock.now()));
  }
}
