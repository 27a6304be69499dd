// The session core's parts wired together once: each gets the shared pieces (store, clock, the
// loaded sessions, the bus's emit, the guard) and the few callbacks it needs from the others.
// The service (service.ts) is the facade over them; nothing outside sessions/ builds parts.
import type { ExerciseCatalog } from '../exercises/types.ts';
import type { LogFn } from '../log.ts';
import type { Runner } from '../runner/index.ts';
import { timerOf, type Store } from '../store/types.ts';
import { SessionBus } from './bus.ts';
import { Chat } from './chat.ts';
import { Calls } from './call.ts';
import { Connections } from './connections.ts';
import { Consoles } from './console.ts';
import { localCoordination, type Coordination, type TimerArm } from './coordination.ts';
import { Edits } from './edits.ts';
import { sessionGuard, type Enter } from './guard.ts';
import { Hints } from './hints.ts';
import { Background, LiveSessions, nameOf, type Live } from './live.ts';
import { Notes } from './notes.ts';
import { Residency } from './residency.ts';
import { runTargetOf } from './run-target.ts';
import { Runs } from './runs.ts';
import { Signals } from './signals.ts';
import type { Clock } from './timer.ts';
import { TimerChanges } from './timer-changes.ts';
import { TimerControl } from './timer-control.ts';

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

export interface SessionParts {
  log: LogFn;
  bus: SessionBus;
  enter: Enter;
  lives: LiveSessions;
  background: Background;
  coord: Coordination;
  residency: Residency;
  connections: Connections;
  runs: Runs;
  consoles: Consoles;
  timers: TimerArm;
  timerChanges: TimerChanges;
  timer: TimerControl;
  hints: Hints;
  chat: Chat;
  calls: Calls;
  notes: Notes;
  signals: Signals;
  edits: Edits;
  /** The one final grading of an ended session (once across nodes). */
  gradeFinal(live: Live): Promise<void>;
}

export function wireParts(d: ServiceDeps): SessionParts {
  const { store, clock, runner } = d;
  const log = d.log ?? ((msg, err) => console.error(`[sessions] ${msg}`, err ?? ''));
  const bus = new SessionBus(log);
  const emit = bus.emit;
  const background = new Background(log);
  const lives = new LiveSessions(store, d.catalog, (id, u, except) => emit('awareness', id, u, except));
  const coord = d.coordination ?? localCoordination();
  // Parts that need each other are reached through `p`, filled in below before any call arrives.
  const p = { log, bus, lives, background, coord } as SessionParts;
  const maybeUnload = (live: Live) => p.residency.maybeUnload(live);
  const snapshot = (live: Live) => p.residency.snapshot(live);
  const done = (id: string) => {
    const live = lives.get(id);
    if (live) maybeUnload(live);
  };
  p.gradeFinal = (live) => coord.finalGrading(live.record.id, () => p.runs.gradeFinal(runTargetOf(store, live)));
  const enter = (p.enter = sessionGuard(lives, (live) => p.timer.settleDeadline(live)));
  p.connections = new Connections({ store, clock, lives, background, emit, maybeUnload });
  p.runs = new Runs({
    store,
    runner,
    clock,
    log,
    claim: coord.claimRun,
    listener: {
      queued: (id, q) => emit('runQueued', id, q),
      result: (id, run) => {
        const live = lives.get(id);
        emit('runResult', id, run, nameOf(live, run.participantId), live?.record.mode ?? 'interview');
      },
      done,
    },
  });
  p.consoles = new Consoles({ store, runner, clock, log, emit, done });
  p.timers = coord.timers(clock, {
    warning: (id, m) => p.timer.warningDue(id, m),
    deadline: (id) => p.timer.deadlineReached(id),
  });
  p.residency = new Residency({
    store,
    clock,
    log,
    lives,
    background,
    emit,
    timers: p.timers,
    busy: (id) => p.runs.isBusy(id) || p.consoles.isBusy(id),
    forgetParts: (id) => [p.consoles, p.signals, p.chat].forEach((part) => part.forget(id)),
  });
  p.timerChanges = new TimerChanges({
    store,
    clock,
    timers: p.timers,
    isCurrent: (live) => lives.isCurrent(live),
    announce: (live, view) => {
      emit('timer', live.record.id, view, live.record.status);
      coord.timerChanged?.(live.record.id, timerOf(live.record));
    },
  });
  const shared = { store, clock, log, lives, background, emit, enter };
  p.timer = new TimerControl({ ...shared, changes: p.timerChanges, snapshot, gradeFinal: p.gradeFinal, maybeUnload });
  p.hints = new Hints({ store, clock, enter });
  p.chat = new Chat({ store, clock, enter, emit });
  p.calls = new Calls({ store, clock, enter, log });
  p.notes = new Notes({ store, clock, enter, emit });
  p.signals = new Signals({ store, clock, enter, emit });
  p.edits = new Edits({ ...shared, snapshotEvery: d.snapshotEvery, snapshot, evict: (live) => p.residency.evict(live) });
  return p;
}
