// The session service: every rule about sessions lives here (who may write when, the timer, notes,
// runs). Handlers call it; it talks to the store and the runner and reports through SessionEvents.
import crypto from 'node:crypto';
import { denial, mayEver, type Action, type Mode } from '../../../common/policy.ts';
import type { Note, Participant, Result, Role, RunQueued, SessionStatus, SessionView, TimerView } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { SignalReport, TimelineEvent } from '../../../common/review.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import type { LogFn } from '../log.ts';
import type { Runner } from '../runner/index.ts';
import { timerOf, type ParticipantRecord, type RunRecord, type SessionRecord, type Store, type TimerState } from '../store/types.ts';
import { encodeSyncUpdate, isEmptyUpdate } from './doc.ts';
import { Background, LiveSessions, applyStoredUpdate, nameOf, snapshotLive, type Live } from './live.ts';
import { localCoordination, type Coordination, type TimerArm } from './coordination.ts';
import { awarenessAuthor, participantNamed, presenceOf } from './presence.ts';
import { Signals, signalView } from './signals.ts';
import { ServiceError, fail, ok } from './errors.ts';
import { Runs } from './runs.ts';
import { Consoles, consoleTargetOf } from './console.ts';
import type { ConsoleRunView } from '../../../common/console.ts';
import { runTargetOf, takePracticeRun } from './run-target.ts';
import { addTime, endTimer, isPastDeadline, startTimer, type Clock } from './timer.ts';
import { TimerChanges } from './timer-changes.ts';
import { hashToken, isTokenShape } from './tokens.ts';
import { cleanName, cleanText } from './views.ts';
import { sessionView } from './session-view.ts';

const EDIT_REFUSED: Partial<Record<string, string>> = {
  session_ended: 'The session has ended; edits are no longer accepted.',
  conflict: 'The interview has not started yet; edits are accepted once the timer runs.',
};
const TIMER_CHANGED = 'The timer was changed elsewhere at the same moment; it now shows the current state.';

export interface SessionEvents {
  timer(sessionId: string, timer: TimerView, status: SessionStatus): void;
  warning(sessionId: string, minutesLeft: number): void;
  runQueued(sessionId: string, queued: RunQueued): void;
  /** The realtime layer redacts it per role (views.runView). */
  runResult(sessionId: string, run: RunRecord, requestedBy: string, mode: Mode): void;
  note(sessionId: string, note: Note): void;
  /** An integrity signal (paste, focus): mentors only. */
  signal(sessionId: string, event: TimelineEvent): void;
  /** One participant's presence changed (see 'session:presence'). */
  presence(sessionId: string, participant: Participant): void;
  /** A scratch console run's queue position and result, for everyone in the session. */
  consoleQueued(sessionId: string, queued: RunQueued): void;
  consoleResult(sessionId: string, run: ConsoleRunView): void;
  /** A stored document update (its id), as a sync message, for every connection but the sender. */
  docUpdate(sessionId: string, message: Uint8Array, exceptConnId: string | null, updateId: number): void;
  awareness(sessionId: string, update: Uint8Array, exceptConnId: string | null): void;
  /** Storage failed mid-edit: drop every connection so the clients resync from stored state. */
  reset(sessionId: string): void;
}

export interface ServiceDeps {
  store: Store;
  catalog: ExerciseCatalog;
  runner: Runner;
  clock: Clock;
  snapshotEvery: number;
  log?: LogFn;
  /** Other nodes (server/src/cluster/); one process alone by default. */
  coordination?: Coordination;
}

/** Who a connection is. */
export interface Identity {
  sessionId: string;
  role: Role;
  participant: ParticipantRecord;
}

const noEvents: SessionEvents = {
  timer() {}, warning() {}, runQueued() {}, runResult() {}, note() {}, signal() {}, presence() {}, docUpdate() {}, awareness() {}, reset() {},
  consoleQueued() {}, consoleResult() {},
};

export class SessionService {
  events: SessionEvents = noEvents;
  readonly runs: Runs;
  readonly consoles: Consoles;
  private readonly timers: TimerArm;
  private readonly timerChanges: TimerChanges;
  private readonly coord: Coordination;
  private readonly signals = new Signals();
  private readonly lives: LiveSessions;
  private readonly background: Background;
  /** The Live each connection was counted in; after an eviction the old one is stale. */
  private counted = new WeakMap<Identity, Live>();
  private readonly log: LogFn;

  constructor(private readonly d: ServiceDeps) {
    this.log = d.log ?? ((msg, err) => console.error(`[sessions] ${msg}`, err ?? ''));
    this.background = new Background(this.log);
    this.lives = new LiveSessions(d.store, d.catalog, (id, u, except) => this.events.awareness(id, u, except));
    this.coord = d.coordination ?? localCoordination();
    this.runs = new Runs({ store: d.store, runner: d.runner, clock: d.clock, log: this.log, claim: this.coord.claimRun });
    this.runs.listener = {
      queued: (id, q) => this.events.runQueued(id, q),
      result: (id, run) => {
        const live = this.lives.get(id);
        this.events.runResult(id, run, nameOf(live, run.participantId), live?.record.mode ?? 'interview');
      },
      done: (id) => {
        const live = this.lives.get(id);
        if (live) this.maybeUnload(live);
      },
    };
    this.consoles = new Consoles({ store: d.store, runner: d.runner, clock: d.clock, log: this.log, events: () => this.events, done: (id) => this.runs.listener.done(id) });
    this.timers = this.coord.timers(d.clock, {
      warning: (id, m) => this.background.track(this.warn(id, m)),
      deadline: (id) => {
        const live = this.lives.get(id);
        if (live) this.background.track(this.end(live, 'deadline'));
      },
    });
    this.timerChanges = new TimerChanges({
      store: d.store,
      clock: d.clock,
      timers: this.timers,
      isCurrent: (live) => this.lives.isCurrent(live),
      announce: (live, view) => {
        this.events.timer(live.record.id, view, live.record.status);
        this.coord.timerChanged?.(live.record.id, timerOf(live.record));
      },
    });
  }

  /** Resumes live sessions: same deadline, or ended and graded when it passed while down. */
  async start(): Promise<void> {
    for (const s of await this.d.store.listSessions({ status: 'live' })) await this.resume(s.id);
    // Ended but never graded (the server stopped during the grading): grade now.
    for (const s of await this.d.store.listSessions({ status: 'ended' })) {
      if (!(await this.d.store.hasFinalRun(s.id))) await this.resume(s.id);
    }
  }

  /** Takes charge of a session: arms its timer, ends it when its deadline passed, grades it when ended ungraded. */
  async resume(sessionId: string): Promise<void> {
    try {
      const live = await this.lives.load(sessionId);
      if (isPastDeadline(live.record, this.d.clock.now())) await this.end(live, 'deadline');
      else if (live.record.status === 'live' && live.record.deadline !== null) this.timers.schedule(sessionId, live.record.deadline);
      else if (live.record.status === 'ended' && !(await this.d.store.hasFinalRun(sessionId))) this.background.track(this.gradeFinal(live));
    } catch (err) {
      this.log(`could not resume session ${sessionId}`, err);
    }
  }

  /** An update another node stored: applied here too (Yjs applies idempotently). False when not loaded here. */
  async remoteUpdate(sessionId: string, update: Uint8Array, updateId: number): Promise<boolean> {
    const live = await this.lives.whenLoaded(sessionId);
    if (!live || !this.lives.isCurrent(live)) return false;
    await applyStoredUpdate(this.d.store, live, update, updateId);
    return true;
  }

  /** Another node changed the session's timer (already stored and announced). */
  remoteTimer(sessionId: string, state: TimerState): void {
    const live = this.lives.get(sessionId);
    if (!live) return;
    Object.assign(live.record, state);
    this.timerChanges.arm(live);
    this.maybeUnload(live);
  }

  /** The in-memory record when the session is loaded (fresher than the store's during writes). */
  loadedRecord(sessionId: string): SessionRecord | undefined {
    return this.lives.get(sessionId)?.record;
  }

  // ---- connections ----

  /** Resolves a link token to who is connecting, loading the session. Counts as a connection until detach. */
  async authenticate(token: unknown, name: unknown): Promise<Identity> {
    if (!isTokenShape(token)) throw new ServiceError('unauthorized', 'This link is not valid.');
    const t = await this.d.store.findToken(hashToken(token));
    if (!t || t.role === 'review') throw new ServiceError('unauthorized', 'This link is not valid.');
    const live = await this.lives.load(t.sessionId);
    live.conns++; // keeps it loaded from here on
    const role = t.role;
    const wanted = typeof name === 'string' ? cleanName(name, LIMITS.participantNameChars) : '';
    const pname = role === 'candidate' ? live.record.candidateName : wanted || (role === 'mentor' ? 'Mentor' : 'Observer');
    let participant: ParticipantRecord;
    try {
      participant = await participantNamed(this.d.store, live, role, pname, this.d.clock.now());
    } catch (err) {
      live.conns--;
      this.maybeUnload(live);
      throw err;
    }
    const who: Identity = { sessionId: t.sessionId, role, participant };
    this.counted.set(who, live);
    return who;
  }

  /** The handshake was refused after authenticate(): the connection never opens. */
  release(who: Identity): void {
    const live = this.current(who);
    if (!live) return;
    this.counted.delete(who);
    live.conns--;
    this.maybeUnload(live);
  }

  /** The connection is open (socket joined its rooms). */
  attach(who: Identity): void {
    const live = this.current(who);
    if (!live) return;
    const before = live.online.get(who.participant.id) ?? 0;
    live.online.set(who.participant.id, before + 1);
    if (before > 0) return; // already here on another connection: nothing changes for the others
    this.record(live, 'join', who.participant.id, { role: who.role });
    this.events.presence(who.sessionId, presenceOf(live, who.participant));
  }

  detach(who: Identity, connId: string): void {
    const live = this.current(who);
    if (!live) return;
    this.counted.delete(who);
    live.conns--;
    const n = (live.online.get(who.participant.id) ?? 1) - 1;
    live.doc.removeConnection(connId);
    if (n <= 0) {
      live.online.delete(who.participant.id);
      this.record(live, 'leave', who.participant.id, { role: who.role });
      this.events.presence(who.sessionId, presenceOf(live, who.participant));
    } else live.online.set(who.participant.id, n);
    this.maybeUnload(live);
  }

  /** Everything the connection needs on (re)connection, redacted for its role. */
  async view(who: Identity): Promise<SessionView> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    return sessionView(this.d.store, live, who, this.d.clock.now());
  }

  /** Whether the server should invite this connection to send its edits (sync step 1). */
  canWriteNow(who: Identity): boolean {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    return mayEver(live.record.mode, who.role, 'doc:write') && live.record.status !== 'ended';
  }

  /** The policy's answer for this connection now, as a failed Result (null = allowed). */
  private refused<T>(live: Live, who: Identity, action: Action): Result<T> | null {
    const no = denial(live.record.mode, who.role, live.record.status, action);
    return no ? fail(no.code, no.message) : null;
  }

  // ---- document ----

  step1(sessionId: string): Uint8Array {
    return this.lives.must(sessionId).doc.step1();
  }

  /** Answers a sync step 1: everything the client lacks. */
  step2(who: Identity, stateVector: Uint8Array): Result<Uint8Array> {
    const live = this.lives.must(who.sessionId);
    return this.refused(live, who, 'doc:read') ?? ok(live.doc.step2(stateVector));
  }

  /**
   * Applies an edit, stores it durably, then broadcasts it. Resolves (and the caller acks) only
   * after the store has it, so an acknowledged edit survives a crash.
   */
  async write(who: Identity, connId: string, update: Uint8Array): Promise<Result<null>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    const no = denial(live.record.mode, who.role, live.record.status, 'doc:write');
    // A step 2 with nothing in it (a client that has no edits) is fine whenever the role may write at all.
    if (no && !(no.code === 'conflict' && isEmptyUpdate(update))) return fail(no.code, EDIT_REFUSED[no.code] ?? no.message);
    if (live.storedBytes + update.byteLength > LIMITS.sessionStoredBytes) {
      return fail('too_large', `This session has stored ${LIMITS.sessionStoredBytes / (1024 * 1024)} MiB of edits, the most a session may hold.`);
    }
    const effective = live.doc.apply(update); // throws ServiceError on bad input, before any change
    if (!effective) return ok(null);
    let id: number;
    const stored = this.d.store.appendUpdate({ sessionId: who.sessionId, at: this.d.clock.now(), participantId: who.participant.id, bytes: effective });
    const pending = stored.catch(() => {});
    live.doc.writes.add(pending);
    try {
      id = await stored;
    } catch (err) {
      // The in-memory document is now ahead of the store: drop it and make every client resync.
      this.log(`storing an update of session ${who.sessionId} failed`, err);
      this.evict(live);
      return fail('internal', 'The edit could not be saved; reconnecting.');
    } finally {
      live.doc.writes.delete(pending);
    }
    live.doc.lastUpdateId = Math.max(live.doc.lastUpdateId, id);
    live.storedBytes += effective.byteLength;
    live.doc.updatesSinceSnapshot++;
    this.events.docUpdate(who.sessionId, encodeSyncUpdate(effective), connId, id);
    if (live.doc.updatesSinceSnapshot >= this.d.snapshotEvery) this.background.track(this.snapshot(live));
    return ok(null);
  }

  awarenessState(sessionId: string): Uint8Array | null {
    return this.lives.must(sessionId).doc.awarenessState();
  }

  awareness(who: Identity, connId: string, update: Uint8Array): Result<null> {
    const live = this.lives.must(who.sessionId);
    const no = this.refused<null>(live, who, 'awareness');
    if (no) return no;
    live.doc.applyAwareness(update, connId, awarenessAuthor(who.participant));
    return ok(null);
  }

  // ---- integrity signals ----

  /** Records what the candidate's page reports about itself (pastes, focus); mentors see it live. */
  async signal(who: Identity, report: SignalReport): Promise<Result<null>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    const no = this.refused<null>(live, who, 'signal');
    if (no) return no;
    const event = this.signals.accept(live.record.id, who.participant.id, report, this.d.clock.now());
    if (!event.ok) return event;
    if (event.value === null) return ok(null); // a repeat (e.g. 'lost' twice): nothing new
    await this.d.store.addEvent(live.record.id, event.value);
    this.events.signal(live.record.id, signalView(event.value));
    return ok(null);
  }

  // ---- runs ----

  async requestRun(who: Identity): Promise<Result<RunQueued>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    return this.refused(live, who, 'run') ?? takePracticeRun(live, this.d.clock.now()) ?? this.runs.request(runTargetOf(this.d.store, live), who.participant.id);
  }

  /** A scratch console run (sessions/console.ts); practice attempts count it as a run. */
  async requestConsole(who: Identity, stdin: string): Promise<Result<RunQueued>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    const by = { participantId: who.participant.id, name: nameOf(live, who.participant.id) };
    return this.refused(live, who, 'console') ?? takePracticeRun(live, this.d.clock.now()) ?? this.consoles.request(consoleTargetOf(this.d.store, live), by, stdin);
  }

  private async gradeFinal(live: Live): Promise<void> {
    await this.coord.finalGrading(live.record.id, () => this.runs.gradeFinal(runTargetOf(this.d.store, live)));
  }

  // ---- timer ----

  async startTimer(who: Identity): Promise<Result<TimerView>> {
    const live = this.lives.must(who.sessionId);
    const no = this.refused<TimerView>(live, who, 'timer:start');
    if (no) return no;
    const now = this.d.clock.now();
    const next = startTimer(live.record, now);
    if (!next.ok) return next;
    const view = await this.timerChanges.apply(live, next.value, 'start', { deadline: next.value.deadline });
    if (!view) return fail('conflict', TIMER_CHANGED);
    this.log.info?.('session started', { session: live.record.id, exercise: live.record.exerciseSlug, mode: live.record.mode, deadline: view.deadline });
    return ok(view);
  }

  async addTime(who: Identity, minutes: number): Promise<Result<TimerView>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    const no = this.refused<TimerView>(live, who, 'timer:add');
    if (no) return no;
    const next = addTime(live.record, minutes);
    if (!next.ok) return next;
    const view = await this.timerChanges.apply(live, next.value, 'add', { minutes, deadline: next.value.deadline });
    return view ? ok(view) : fail('conflict', TIMER_CHANGED);
  }

  async endEarly(who: Identity): Promise<Result<TimerView>> {
    const live = this.lives.must(who.sessionId);
    this.settleDeadline(live);
    return this.refused<TimerView>(live, who, 'timer:end') ?? this.end(live, 'mentor');
  }

  /** "End now" from the dashboard: the same end, and the same single final grading, as in the room. */
  async endById(sessionId: string): Promise<Result<TimerView>> {
    const live = await this.lives.load(sessionId);
    this.settleDeadline(live);
    const ended = await this.end(live, 'dashboard');
    this.maybeUnload(live); // loaded only for this: free it once the grading is done
    return ended;
  }

  /** Ends the session (deadline or mentor), stores a snapshot and starts the final grading. */
  private async end(live: Live, reason: 'mentor' | 'dashboard' | 'deadline'): Promise<Result<TimerView>> {
    const now = this.d.clock.now();
    const next = endTimer(live.record, now);
    if (!next.ok) return next;
    const view = await this.timerChanges.apply(live, next.value, reason === 'deadline' ? 'deadline' : 'end', {});
    // Another node changed the timer first; if it ended the session, that node grades it.
    if (!view) return fail('conflict', TIMER_CHANGED);
    this.log.info?.('session ended', { session: live.record.id, exercise: live.record.exerciseSlug, mode: live.record.mode, how: reason });
    await this.snapshot(live);
    this.background.track(this.gradeFinal(live));
    return ok(view);
  }

  /** Ends a session whose deadline has passed before its timer callback ran. */
  private settleDeadline(live: Live): void {
    if (isPastDeadline(live.record, this.d.clock.now())) this.background.track(this.end(live, 'deadline'));
  }

  private async warn(sessionId: string, minutesLeft: number): Promise<void> {
    await this.d.store.addEvent(sessionId, { at: this.d.clock.now(), type: 'warning', data: { minutesLeft } });
    this.events.warning(sessionId, minutesLeft);
  }

  // ---- notes ----

  async addNote(who: Identity, text: string): Promise<Result<Note>> {
    const no = this.refused<Note>(this.lives.must(who.sessionId), who, 'note');
    if (no) return no;
    const clean = cleanText(text).trim();
    if (clean === '') return fail('bad_request', 'The note is empty.');
    const note: Note = { id: crypto.randomUUID(), at: this.d.clock.now(), text: clean };
    await this.d.store.addNote({ ...note, sessionId: who.sessionId, participantId: who.participant.id });
    this.events.note(who.sessionId, note);
    return ok(note);
  }

  /** A presence event for the timeline, in the background (presence must not wait on the store). */
  private record(live: Live, type: 'join' | 'leave', participantId: string, data: Record<string, unknown>): void {
    this.background.track(this.d.store.addEvent(live.record.id, { at: this.d.clock.now(), type, participantId, data }));
  }

  /** Frees an idle session: nobody connected, not live, nothing running. */
  private maybeUnload(live: Live): void {
    if (live.conns > 0 || live.record.status === 'live' || this.runs.isBusy(live.record.id) || this.consoles.isBusy(live.record.id)) return;
    if (!this.lives.isCurrent(live)) return;
    this.lives.delete(live.record.id);
    this.consoles.forget(live.record.id);
    this.signals.forget(live.record.id);
    this.background.track(this.snapshot(live).finally(() => live.doc.destroy()));
  }

  private evict(live: Live): void {
    this.lives.delete(live.record.id);
    this.timers.cancel(live.record.id);
    live.doc.destroy();
    this.events.reset(live.record.id);
    // A live session needs its timer: reload it.
    if (live.record.status === 'live') this.background.track(this.lives.load(live.record.id).then((l) => l.record.deadline !== null && this.timers.schedule(l.record.id, l.record.deadline)));
  }

  /** The session was deleted: drop it from memory and disconnect everyone in it. */
  forget(sessionId: string): void {
    const live = this.lives.get(sessionId);
    this.timers.cancel(sessionId);
    this.events.reset(sessionId);
    if (!live) return;
    this.lives.delete(sessionId);
    this.signals.forget(sessionId);
    live.doc.destroy();
  }

  /** Resolves when timers' side effects, gradings and runs in flight are done. */
  async idle(): Promise<void> {
    await this.background.settle();
    await this.runs.idle();
    await this.consoles.idle();
    await this.background.settle();
  }

  async close(): Promise<void> {
    this.timers.cancelAll();
    this.runs.close();
    this.consoles.close();
    await this.background.settle();
    for (const live of this.lives.all()) {
      await this.snapshot(live).catch((err) => this.log('snapshot on close failed', err));
      live.doc.destroy();
    }
    this.lives.clear();
  }

  private snapshot(live: Live): Promise<void> {
    return snapshotLive(this.d.store, live, this.d.clock.now());
  }

  private current(who: Identity): Live | undefined {
    const live = this.counted.get(who);
    return live && this.lives.isCurrent(live) ? live : undefined;
  }
}
