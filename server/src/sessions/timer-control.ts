// What people and the clock do to a session's timer: start it, add time, end it early, and the
// warnings and deadline firing. Ending (however it happens) stores a snapshot and starts the one
// final grading. The conditional store writes are in timer-changes.ts, the rules in timer.ts.
import type { Result, Role, TimerView } from '../../../common/protocol.ts';
import type { LogFn } from '../log.ts';
import type { Store } from '../store/types.ts';
import { fail, ok, refused } from './errors.ts';
import type { Background, Live, LiveSessions } from './live.ts';
import type { Identity } from './service-types.ts';
import type { Emit } from './bus.ts';
import type { Enter } from './guard.ts';
import { addTime, endTimer, isPastDeadline, startTimer, type Clock } from './timer.ts';
import type { TimerChanges } from './timer-changes.ts';

const TIMER_CHANGED = 'The timer was changed elsewhere at the same moment; it now shows the current state.';

export type EndReason = 'mentor' | 'dashboard' | 'deadline';

export interface TimerControlDeps {
  store: Store;
  clock: Clock;
  log: LogFn;
  lives: LiveSessions;
  changes: TimerChanges;
  /** Where timer side effects run, so that close() and tests can wait for them. */
  background: Background;
  /** Publishes on the service's bus. */
  emit: Emit;
  /** The service's guard: the loaded session, its deadline settled, the policy's answer. */
  enter: Enter;
  /** Stores the document as it is when the session ends. */
  snapshot(live: Live): Promise<void>;
  /** The single final grading of an ended session. */
  gradeFinal(live: Live): Promise<void>;
  /** Frees the session when nothing keeps it loaded. */
  maybeUnload(live: Live): void;
}

export class TimerControl {
  constructor(private readonly d: TimerControlDeps) {}

  start(who: Identity): Promise<Result<TimerView>> {
    return this.startLive(this.d.lives.must(who.sessionId), who.role);
  }

  /** A practice attempt started from its exercise page: the student's own Start, without a connection. */
  async startById(sessionId: string, role: Role): Promise<Result<TimerView>> {
    return this.startLive(await this.d.lives.load(sessionId), role);
  }

  private async startLive(live: Live, role: Role): Promise<Result<TimerView>> {
    const no = refused<TimerView>(live.record, role, 'timer:start');
    if (no) return no;
    const now = this.d.clock.now();
    const next = startTimer(live.record, now);
    if (!next.ok) return next;
    const view = await this.d.changes.apply(live, next.value, 'start', { deadline: next.value.deadline });
    if (!view) return fail('conflict', TIMER_CHANGED);
    this.d.log.info?.('session started', { session: live.record.id, exercise: live.record.exerciseSlug, mode: live.record.mode, deadline: view.deadline });
    return ok(view);
  }

  async addTime(who: Identity, minutes: number): Promise<Result<TimerView>> {
    const { live, refusal } = this.d.enter(who, 'timer:add');
    if (refusal) return refusal;
    const next = addTime(live.record, minutes);
    if (!next.ok) return next;
    const view = await this.d.changes.apply(live, next.value, 'add', { minutes, deadline: next.value.deadline });
    return view ? ok(view) : fail('conflict', TIMER_CHANGED);
  }

  async endEarly(who: Identity): Promise<Result<TimerView>> {
    const { live, refusal } = this.d.enter(who, 'timer:end');
    return refusal ?? this.end(live, 'mentor');
  }

  /** "End now" from the dashboard: the same end, and the same single final grading, as in the room. */
  async endById(sessionId: string): Promise<Result<TimerView>> {
    const live = await this.d.lives.load(sessionId);
    this.settleDeadline(live);
    const ended = await this.end(live, 'dashboard');
    this.d.maybeUnload(live); // loaded only for this: free it once the grading is done
    return ended;
  }

  /** Ends the session (deadline or mentor), stores a snapshot and starts the final grading. */
  async end(live: Live, reason: EndReason): Promise<Result<TimerView>> {
    const now = this.d.clock.now();
    const next = endTimer(live.record, now);
    if (!next.ok) return next;
    const view = await this.d.changes.apply(live, next.value, reason === 'deadline' ? 'deadline' : 'end', {});
    // Another node changed the timer first; if it ended the session, that node grades it.
    if (!view) return fail('conflict', TIMER_CHANGED);
    this.d.log.info?.('session ended', { session: live.record.id, exercise: live.record.exerciseSlug, mode: live.record.mode, how: reason });
    await this.d.snapshot(live);
    this.d.background.track(this.d.gradeFinal(live));
    return ok(view);
  }

  /** Ends a session whose deadline has passed before its timer callback ran. */
  settleDeadline(live: Live): void {
    if (isPastDeadline(live.record, this.d.clock.now())) this.d.background.track(this.end(live, 'deadline'));
  }

  /** The timer callback: the deadline of a session loaded here has come. */
  deadlineReached(sessionId: string): void {
    const live = this.d.lives.get(sessionId);
    if (live) this.d.background.track(this.end(live, 'deadline'));
  }

  /** The timer callback: a warning is due (recorded in the timeline, then shown to the room). */
  warningDue(sessionId: string, minutesLeft: number): void {
    this.d.background.track(this.warn(sessionId, minutesLeft));
  }

  private async warn(sessionId: string, minutesLeft: number): Promise<void> {
    await this.d.store.addEvent(sessionId, { at: this.d.clock.now(), type: 'warning', data: { minutesLeft } });
    this.d.emit('warning', sessionId, minutesLeft);
  }
}
