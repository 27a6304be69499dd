// The session service: the facade every handler calls for sessions (who may write when, the timer,
// notes, runs, chat). The parts live beside it, wired once in parts.ts (connections.ts, edits.ts,
// timer-control.ts, runs.ts, console.ts, hints.ts, chat.ts, notes.ts, signals.ts, residency.ts);
// each enters through one guard (guard.ts) and reports on one bus (bus.ts), to which the realtime
// layer and the cluster subscribe with `on`.
import type { ChatMessage, Note, Result, Role, RunQueued, SessionView, TimerView } from '../../../common/protocol.ts';
import type { SignalReport } from '../../../common/review.ts';
import type { SessionRecord, TimerState } from '../store/types.ts';
import { applyStoredUpdate, nameOf } from './live.ts';
import { awarenessAuthor } from './presence.ts';
import { ok } from './errors.ts';
import { consoleTargetOf } from './console.ts';
import { runTargetOf, takePracticeRun } from './run-target.ts';
import { isPastDeadline } from './timer.ts';
import { sessionView } from './session-view.ts';
import { encodeSyncUpdate } from './doc.ts';
import type { SessionEventName, SessionListener } from './bus.ts';
import type { Identity } from './service-types.ts';
import { wireParts, type ServiceDeps, type SessionParts } from './parts.ts';

export type { Identity } from './service-types.ts';
export type { SessionEventMap, SessionEventName, SessionListener, UpdateOrigin } from './bus.ts';
export type { ServiceDeps } from './parts.ts';

export class SessionService {
  private readonly p: SessionParts;
  /** Test runs and the final grading (runs.ts), scratch console runs (console.ts), practice hints (hints.ts). */
  readonly runs: SessionParts['runs'];
  readonly consoles: SessionParts['consoles'];
  readonly hints: SessionParts['hints'];
  /** The room's call: who may join, join/leave on the timeline, signalling rate (call.ts). */
  readonly calls: SessionParts['calls'];

  constructor(private readonly d: ServiceDeps) {
    this.p = wireParts(d);
    ({ runs: this.runs, consoles: this.consoles, hints: this.hints, calls: this.calls } = this.p);
  }

  /** Subscribes to what the session core reports (bus.ts); returns the unsubscribe function. */
  on<K extends SessionEventName>(event: K, listener: SessionListener<K>): () => void {
    return this.p.bus.on(event, listener);
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
      const live = await this.p.lives.load(sessionId);
      if (isPastDeadline(live.record, this.d.clock.now())) await this.p.timer.end(live, 'deadline');
      else if (live.record.status === 'live' && live.record.deadline !== null) this.p.timers.schedule(sessionId, live.record.deadline);
      else if (live.record.status === 'ended' && !(await this.d.store.hasFinalRun(sessionId))) this.p.background.track(this.p.gradeFinal(live));
    } catch (err) {
      this.p.log(`could not resume session ${sessionId}`, err);
    }
  }

  /**
   * An update another node stored: applied here too (Yjs applies idempotently) and published as a
   * relayed 'docUpdate' for this node's connections. False when the session is not loaded here.
   */
  async remoteUpdate(sessionId: string, update: Uint8Array, updateId: number): Promise<boolean> {
    const live = await this.p.lives.whenLoaded(sessionId);
    if (!live || !this.p.lives.isCurrent(live)) return false;
    await applyStoredUpdate(this.d.store, live, update, updateId);
    this.p.bus.emit('docUpdate', sessionId, encodeSyncUpdate(update), null, updateId, 'relay');
    return true;
  }

  /** Another node changed the session's timer (already stored and announced). */
  remoteTimer(sessionId: string, state: TimerState): void {
    const live = this.p.lives.get(sessionId);
    if (!live) return;
    Object.assign(live.record, state);
    this.p.timerChanges.arm(live);
    this.p.residency.maybeUnload(live);
  }

  /** The in-memory record when the session is loaded (fresher than the store's during writes). */
  loadedRecord(sessionId: string): SessionRecord | undefined {
    return this.p.lives.get(sessionId)?.record;
  }

  // ---- connections (sessions/connections.ts) ----

  /** Resolves a link token to who is connecting, loading the session. Counts as a connection until detach. */
  authenticate(token: unknown, name: unknown): Promise<Identity> {
    return this.p.connections.authenticate(token, name);
  }

  /** The handshake was refused after authenticate(): the connection never opens. */
  release(who: Identity): void {
    this.p.connections.release(who);
  }

  /** The connection is open (socket joined its rooms). */
  attach(who: Identity): void {
    this.p.connections.attach(who);
  }

  detach(who: Identity, connId: string): void {
    this.p.connections.detach(who, connId);
  }

  /** Everything the connection needs on (re)connection, redacted for its role. */
  async view(who: Identity): Promise<SessionView> {
    const { live } = this.p.enter(who, 'doc:read');
    const latestConsole = await this.p.consoles.latestRun(live.record.id, (id) => nameOf(live, id));
    return sessionView(this.d.store, live, who, this.d.clock.now(), latestConsole);
  }

  /** Whether the server should invite this connection to send its edits (sync step 1). */
  canWriteNow(who: Identity): boolean {
    return this.p.edits.canWriteNow(who);
  }

  // ---- document ----

  step1(sessionId: string): Uint8Array {
    return this.p.lives.must(sessionId).doc.step1();
  }

  /** Answers a sync step 1: everything the client lacks. */
  step2(who: Identity, stateVector: Uint8Array): Result<Uint8Array> {
    const { live, refusal } = this.p.enter(who, 'doc:read');
    return refusal ?? ok(live.doc.step2(stateVector));
  }

  /** Applies an edit, stores it durably, then broadcasts it (sessions/edits.ts). */
  write(who: Identity, connId: string, update: Uint8Array): Promise<Result<null>> {
    return this.p.edits.write(who, connId, update);
  }

  awarenessState(sessionId: string): Uint8Array | null {
    return this.p.lives.must(sessionId).doc.awarenessState();
  }

  awareness(who: Identity, connId: string, update: Uint8Array): Result<null> {
    const { live, refusal } = this.p.enter(who, 'awareness');
    if (refusal) return refusal;
    live.doc.applyAwareness(update, connId, awarenessAuthor(who.participant));
    return ok(null);
  }

  // ---- integrity signals ----

  /** Records what the candidate's page reports about itself (pastes, focus); mentors see it live. */
  signal(who: Identity, report: SignalReport): Promise<Result<null>> {
    return this.p.signals.report(who, report);
  }

  // ---- runs ----

  async requestRun(who: Identity): Promise<Result<RunQueued>> {
    const { live, refusal } = this.p.enter(who, 'run');
    return refusal ?? takePracticeRun(live, this.d.clock.now()) ?? this.p.runs.request(runTargetOf(this.d.store, live), who.participant.id);
  }

  /** A scratch console run (sessions/console.ts); practice attempts count it as a run. */
  async requestConsole(who: Identity, stdin: string): Promise<Result<RunQueued>> {
    const { live, refusal } = this.p.enter(who, 'console');
    const by = { participantId: who.participant.id, name: nameOf(live, who.participant.id) };
    return refusal ?? takePracticeRun(live, this.d.clock.now()) ?? this.p.consoles.request(consoleTargetOf(this.d.store, live), by, stdin);
  }

  // ---- timer (sessions/timer-control.ts) ----

  startTimer(who: Identity): Promise<Result<TimerView>> {
    return this.p.timer.start(who);
  }

  /** Starts the clock of a session nobody is connected to, as `role` would (a practice attempt's Start). */
  startById(sessionId: string, role: Role): Promise<Result<TimerView>> {
    return this.p.timer.startById(sessionId, role);
  }

  addTime(who: Identity, minutes: number): Promise<Result<TimerView>> {
    return this.p.timer.addTime(who, minutes);
  }

  endEarly(who: Identity): Promise<Result<TimerView>> {
    return this.p.timer.endEarly(who);
  }

  /** "End now" from the dashboard: the same end, and the same single final grading, as in the room. */
  endById(sessionId: string): Promise<Result<TimerView>> {
    return this.p.timer.endById(sessionId);
  }

  // ---- notes ----

  addNote(who: Identity, text: string): Promise<Result<Note>> {
    return this.p.notes.add(who, text);
  }

  // ---- chat (sessions/chat.ts) ----

  sendChat(who: Identity, text: string): Promise<Result<ChatMessage>> {
    return this.p.chat.send(who, text);
  }

  // ---- memory (sessions/residency.ts) ----

  /** The session was deleted: drop it from memory and disconnect everyone in it. */
  forget(sessionId: string): void {
    this.p.residency.forget(sessionId);
  }

  /** Resolves when timers' side effects, gradings and runs in flight are done. */
  async idle(): Promise<void> {
    await this.p.background.settle();
    await this.p.runs.idle();
    await this.p.consoles.idle();
    await this.p.background.settle();
  }

  async close(): Promise<void> {
    this.p.timers.cancelAll();
    this.p.runs.close();
    this.p.consoles.close();
    await this.p.background.settle();
    await this.p.residency.closeAll();
  }
}
