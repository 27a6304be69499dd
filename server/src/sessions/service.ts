// The session service: the facade every handler calls for sessions (who may write when, the timer,
// notes, runs). The parts live beside it (connections.ts, edits.ts, timer-control.ts, runs.ts,
// console.ts, hints.ts); each enters through one guard (guard.ts) and reports on one bus (bus.ts),
// to which the realtime layer and the cluster subscribe with `on`.
import crypto from 'node:crypto';
import type { ChatMessage, Note, Result, Role, RunQueued, SessionView, TimerView } from '../../../common/protocol.ts';
import type { SignalReport } from '../../../common/review.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import type { LogFn } from '../log.ts';
import type { Runner } from '../runner/index.ts';
import { timerOf, type SessionRecord, type Store, type TimerState } from '../store/types.ts';
import { Background, LiveSessions, applyStoredUpdate, nameOf, snapshotLive, type Live } from './live.ts';
import { localCoordination, type Coordination, type TimerArm } from './coordination.ts';
import { awarenessAuthor } from './presence.ts';
import { Signals, signalView } from './signals.ts';
import { fail, ok } from './errors.ts';
import { Runs } from './runs.ts';
import { Consoles, consoleTargetOf } from './console.ts';
import { runTargetOf, takePracticeRun } from './run-target.ts';
import { isPastDeadline, type Clock } from './timer.ts';
import { TimerChanges } from './timer-changes.ts';
import { TimerControl } from './timer-control.ts';
import { Edits } from './edits.ts';
import { Hints } from './hints.ts';
import { Chat } from './chat.ts';
import { Calls } from './call.ts';
import { cleanText } from './views.ts';
import { sessionView } from './session-view.ts';
import { encodeSyncUpdate } from './doc.ts';
import { SessionBus, type SessionEventName, type SessionListener } from './bus.ts';
import { sessionGuard, type Enter } from './guard.ts';
import { Connections } from './connections.ts';
import type { Identity } from './service-types.ts';

export type { Identity } from './service-types.ts';
export type { SessionEventMap, SessionEventName, SessionListener, UpdateOrigin } from './bus.ts';

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

export class SessionService {
  readonly runs: Runs;
  readonly consoles: Consoles;
  /** Practice hints, revealed one at a time (sessions/hints.ts). */
  readonly hints: Hints;
  /** The room's call: who may join, join/leave on the timeline, signalling rate (sessions/call.ts). */
  readonly calls: Calls;
  /** The room's chat (sessions/chat.ts). */
  private readonly chat: Chat;
  private readonly bus: SessionBus;
  private readonly enter: Enter;
  private readonly connections: Connections;
  private readonly timers: TimerArm;
  private readonly timerChanges: TimerChanges;
  private readonly timer: TimerControl;
  private readonly edits: Edits;
  private readonly coord: Coordination;
  private readonly signals = new Signals();
  private readonly lives: LiveSessions;
  private readonly background: Background;
  private readonly log: LogFn;

  constructor(private readonly d: ServiceDeps) {
    this.log = d.log ?? ((msg, err) => console.error(`[sessions] ${msg}`, err ?? ''));
    const emit = (this.bus = new SessionBus(this.log)).emit;
    const { store, clock, runner } = d;
    const log = this.log;
    this.background = new Background(log);
    this.lives = new LiveSessions(store, d.catalog, (id, u, except) => emit('awareness', id, u, except));
    this.coord = d.coordination ?? localCoordination();
    const maybeUnload = (live: Live) => this.maybeUnload(live);
    const snapshot = (live: Live) => this.snapshot(live);
    this.enter = sessionGuard(this.lives, (live) => this.timer.settleDeadline(live));
    const enter = this.enter;
    this.connections = new Connections({ store, clock, lives: this.lives, background: this.background, emit, maybeUnload });
    const done = (id: string) => {
      const live = this.lives.get(id);
      if (live) this.maybeUnload(live);
    };
    this.runs = new Runs({
      store, runner, clock, log, claim: this.coord.claimRun,
      listener: {
        queued: (id, q) => emit('runQueued', id, q),
        result: (id, run) => {
          const live = this.lives.get(id);
          emit('runResult', id, run, nameOf(live, run.participantId), live?.record.mode ?? 'interview');
        },
        done,
      },
    });
    this.consoles = new Consoles({ store, runner, clock, log, emit, done });
    this.timers = this.coord.timers(clock, {
      warning: (id, m) => this.timer.warningDue(id, m),
      deadline: (id) => this.timer.deadlineReached(id),
    });
    this.timerChanges = new TimerChanges({
      store, clock, timers: this.timers,
      isCurrent: (live) => this.lives.isCurrent(live),
      announce: (live, view) => {
        emit('timer', live.record.id, view, live.record.status);
        this.coord.timerChanged?.(live.record.id, timerOf(live.record));
      },
    });
    const shared = { store, clock, log, lives: this.lives, background: this.background, emit, enter };
    this.timer = new TimerControl({ ...shared, changes: this.timerChanges, snapshot, gradeFinal: (live) => this.gradeFinal(live), maybeUnload });
    this.hints = new Hints({ store, clock, enter });
    this.chat = new Chat({ store, clock, enter, emit });
    this.calls = new Calls({ store, clock, enter, log });
    this.edits = new Edits({ ...shared, snapshotEvery: d.snapshotEvery, snapshot, evict: (live) => this.evict(live) });
  }

  /** Subscribes to what the session core reports (bus.ts); returns the unsubscribe function. */
  on<K extends SessionEventName>(event: K, listener: SessionListener<K>): () => void {
    return this.bus.on(event, listener);
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
      if (isPastDeadline(live.record, this.d.clock.now())) await this.timer.end(live, 'deadline');
      else if (live.record.status === 'live' && live.record.deadline !== null) this.timers.schedule(sessionId, live.record.deadline);
      else if (live.record.status === 'ended' && !(await this.d.store.hasFinalRun(sessionId))) this.background.track(this.gradeFinal(live));
    } catch (err) {
      this.log(`could not resume session ${sessionId}`, err);
    }
  }

  /**
   * An update another node stored: applied here too (Yjs applies idempotently) and published as a
   * relayed 'docUpdate' for this node's connections. False when the session is not loaded here.
   */
  async remoteUpdate(sessionId: string, update: Uint8Array, updateId: number): Promise<boolean> {
    const live = await this.lives.whenLoaded(sessionId);
    if (!live || !this.lives.isCurrent(live)) return false;
    await applyStoredUpdate(this.d.store, live, update, updateId);
    this.bus.emit('docUpdate', sessionId, encodeSyncUpdate(update), null, updateId, 'relay');
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

  // ---- connections (sessions/connections.ts) ----

  /** Resolves a link token to who is connecting, loading the session. Counts as a connection until detach. */
  authenticate(token: unknown, name: unknown): Promise<Identity> {
    return this.connections.authenticate(token, name);
  }

  /** The handshake was refused after authenticate(): the connection never opens. */
  release(who: Identity): void {
    this.connections.release(who);
  }

  /** The connection is open (socket joined its rooms). */
  attach(who: Identity): void {
    this.connections.attach(who);
  }

  detach(who: Identity, connId: string): void {
    this.connections.detach(who, connId);
  }

  /** Everything the connection needs on (re)connection, redacted for its role. */
  async view(who: Identity): Promise<SessionView> {
    const { live } = this.enter(who, 'doc:read');
    const latestConsole = await this.consoles.latestRun(live.record.id, (id) => nameOf(live, id));
    return sessionView(this.d.store, live, who, this.d.clock.now(), latestConsole);
  }

  /** Whether the server should invite this connection to send its edits (sync step 1). */
  canWriteNow(who: Identity): boolean {
    return this.edits.canWriteNow(who);
  }

  // ---- document ----

  step1(sessionId: string): Uint8Array {
    return this.lives.must(sessionId).doc.step1();
  }

  /** Answers a sync step 1: everything the client lacks. */
  step2(who: Identity, stateVector: Uint8Array): Result<Uint8Array> {
    const { live, refusal } = this.enter(who, 'doc:read');
    return refusal ?? ok(live.doc.step2(stateVector));
  }

  /** Applies an edit, stores it durably, then broadcasts it (sessions/edits.ts). */
  write(who: Identity, connId: string, update: Uint8Array): Promise<Result<null>> {
    return this.edits.write(who, connId, update);
  }

  awarenessState(sessionId: string): Uint8Array | null {
    return this.lives.must(sessionId).doc.awarenessState();
  }

  awareness(who: Identity, connId: string, update: Uint8Array): Result<null> {
    const { live, refusal } = this.enter(who, 'awareness');
    if (refusal) return refusal;
    live.doc.applyAwareness(update, connId, awarenessAuthor(who.participant));
    return ok(null);
  }

  // ---- integrity signals ----

  /** Records what the candidate's page reports about itself (pastes, focus); mentors see it live. */
  async signal(who: Identity, report: SignalReport): Promise<Result<null>> {
    const { live, refusal } = this.enter(who, 'signal');
    if (refusal) return refusal;
    const event = this.signals.accept(live.record.id, who.participant.id, report, this.d.clock.now());
    if (!event.ok) return event;
    if (event.value === null) return ok(null); // a repeat (e.g. 'lost' twice): nothing new
    await this.d.store.addEvent(live.record.id, event.value);
    this.bus.emit('signal', live.record.id, signalView(event.value));
    return ok(null);
  }

  // ---- runs ----

  async requestRun(who: Identity): Promise<Result<RunQueued>> {
    const { live, refusal } = this.enter(who, 'run');
    return refusal ?? takePracticeRun(live, this.d.clock.now()) ?? this.runs.request(runTargetOf(this.d.store, live), who.participant.id);
  }

  /** A scratch console run (sessions/console.ts); practice attempts count it as a run. */
  async requestConsole(who: Identity, stdin: string): Promise<Result<RunQueued>> {
    const { live, refusal } = this.enter(who, 'console');
    const by = { participantId: who.participant.id, name: nameOf(live, who.participant.id) };
    return refusal ?? takePracticeRun(live, this.d.clock.now()) ?? this.consoles.request(consoleTargetOf(this.d.store, live), by, stdin);
  }

  private async gradeFinal(live: Live): Promise<void> {
    await this.coord.finalGrading(live.record.id, () => this.runs.gradeFinal(runTargetOf(this.d.store, live)));
  }

  // ---- timer (sessions/timer-control.ts) ----

  startTimer(who: Identity): Promise<Result<TimerView>> {
    return this.timer.start(who);
  }

  /** Starts the clock of a session nobody is connected to, as `role` would (a practice attempt's Start). */
  startById(sessionId: string, role: Role): Promise<Result<TimerView>> {
    return this.timer.startById(sessionId, role);
  }

  addTime(who: Identity, minutes: number): Promise<Result<TimerView>> {
    return this.timer.addTime(who, minutes);
  }

  endEarly(who: Identity): Promise<Result<TimerView>> {
    return this.timer.endEarly(who);
  }

  /** "End now" from the dashboard: the same end, and the same single final grading, as in the room. */
  endById(sessionId: string): Promise<Result<TimerView>> {
    return this.timer.endById(sessionId);
  }

  // ---- notes ----

  async addNote(who: Identity, text: string): Promise<Result<Note>> {
    const { refusal } = this.enter(who, 'note');
    if (refusal) return refusal;
    const clean = cleanText(text).trim();
    if (clean === '') return fail('bad_request', 'The note is empty.');
    const note: Note = { id: crypto.randomUUID(), at: this.d.clock.now(), text: clean };
    await this.d.store.addNote({ ...note, sessionId: who.sessionId, participantId: who.participant.id });
    this.bus.emit('note', who.sessionId, note);
    return ok(note);
  }

  // ---- chat (sessions/chat.ts) ----

  sendChat(who: Identity, text: string): Promise<Result<ChatMessage>> {
    return this.chat.send(who, text);
  }

  // ---- memory ----

  /** Frees an idle session: nobody connected, not live, nothing running. */
  private maybeUnload(live: Live): void {
    if (live.conns > 0 || live.record.status === 'live' || this.runs.isBusy(live.record.id) || this.consoles.isBusy(live.record.id)) return;
    if (!this.lives.isCurrent(live)) return;
    this.lives.delete(live.record.id);
    this.consoles.forget(live.record.id);
    this.signals.forget(live.record.id);
    this.chat.forget(live.record.id);
    this.background.track(this.snapshot(live).finally(() => live.doc.destroy()));
  }

  private evict(live: Live): void {
    this.lives.delete(live.record.id);
    this.timers.cancel(live.record.id);
    live.doc.destroy();
    this.bus.emit('reset', live.record.id);
    // A live session needs its timer: reload it.
    if (live.record.status === 'live') this.background.track(this.lives.load(live.record.id).then((l) => l.record.deadline !== null && this.timers.schedule(l.record.id, l.record.deadline)));
  }

  /** The session was deleted: drop it from memory and disconnect everyone in it. */
  forget(sessionId: string): void {
    const live = this.lives.get(sessionId);
    this.timers.cancel(sessionId);
    this.bus.emit('reset', sessionId);
    if (!live) return;
    this.lives.delete(sessionId);
    this.signals.forget(sessionId);
    this.chat.forget(sessionId);
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
}
