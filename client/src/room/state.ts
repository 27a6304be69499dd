// The room's state as a reducer of events, apart from rendering: a RoomSource (source.ts) turns
// every server event into a RoomEvent, the room's own requests add a few local ones, and room.ts
// renders what this returns. Pure (no DOM, no socket) so it is unit-tested.
import type { ConsoleRunView } from '../../../common/console.ts';
import type { HintsView, RevealedHint } from '../../../common/practice.ts';
import type { ChatMessage, Note, Participant, RunQueued, RunView, SessionStatus, SessionView, TimerView } from '../../../common/protocol.ts';
import type { TimelineEvent } from '../../../common/review.ts';
import * as flight from '../session/runs.ts';
import { receiveTimer, type ClockedTimer } from '../session/timer.ts';

export interface RoomState {
  view: SessionView | null;
  status: SessionStatus;
  /** The server's timer with this browser's clock offset. */
  clocked: ClockedTimer | null;
  participants: Participant[];
  /** The newest run (its markers are in the editor). */
  latestRun: RunView | null;
  /** The run picked in the history; null follows the newest. */
  selectedRunId: string | null;
  /** Counts 'session:state' events: the lists below were replaced, not appended to, when it changes. */
  loads: number;
  /** Interviewers only: private notes and the candidate's integrity signals. */
  notes: Note[];
  signals: TimelineEvent[];
  chat: ChatMessage[];
  /** Practice only: the exercise's hints and those revealed. */
  hints: HintsView | undefined;
  /** The latest scratch console run, which everyone in the room sees. */
  console: ConsoleRunView | null;
  testRuns: flight.InFlight;
  consoleRuns: flight.InFlight;
}

/** What the server sends the room (Yjs sync and awareness go to the document's provider instead). */
export type ServerEvent =
  | { type: 'state'; view: SessionView; localNow: number }
  | { type: 'presence'; participant: Participant }
  | { type: 'timer'; timer: TimerView; status: SessionStatus; localNow: number }
  | { type: 'timer-warning'; minutesLeft: number }
  | { type: 'run-queued'; queued: RunQueued }
  | { type: 'run'; run: RunView }
  | { type: 'console-queued'; queued: RunQueued }
  | { type: 'console'; run: ConsoleRunView }
  | { type: 'note'; note: Note }
  | { type: 'chat'; message: ChatMessage }
  | { type: 'signal'; event: TimelineEvent };

export type RunKind = 'tests' | 'console';

/** What happens in this browser: a run picked in the history, our own requests and their replies. */
export type LocalEvent =
  | { type: 'select'; runId: string | null }
  | { type: 'requesting'; kind: RunKind }
  | { type: 'accepted'; kind: RunKind; queued: RunQueued }
  | { type: 'refused'; kind: RunKind }
  | { type: 'hint'; hint: RevealedHint };

export type RoomEvent = ServerEvent | LocalEvent;

export const initialRoomState: RoomState = {
  view: null,
  status: 'waiting',
  clocked: null,
  participants: [],
  latestRun: null,
  selectedRunId: null,
  loads: 0,
  notes: [],
  signals: [],
  chat: [],
  hints: undefined,
  console: null,
  testRuns: flight.noRuns,
  consoleRuns: flight.noRuns,
};

const byTime = (a: RunView, b: RunView): number => a.at - b.at;

/** Runs the server did not number (none should be) follow the highest number before them in time. */
function numbered(runs: RunView[]): RunView[] {
  const numbers = new Map<string, number>();
  let last = 0;
  for (const r of [...runs].sort(byTime)) {
    last = r.number ?? last + 1;
    numbers.set(r.id, last);
  }
  return runs.map((r) => (r.number === undefined ? { ...r, number: numbers.get(r.id) ?? 0 } : r));
}

/** Our own item arrives both as the ack and as the broadcast: each id once. */
function appendOnce<T extends { id: string }>(list: T[], item: T): T[] {
  return list.some((x) => x.id === item.id) ? list : [...list, item];
}

const runsKey = (kind: RunKind): 'testRuns' | 'consoleRuns' => (kind === 'tests' ? 'testRuns' : 'consoleRuns');

export function reduceRoom(s: RoomState, e: RoomEvent): RoomState {
  switch (e.type) {
    case 'state': {
      const runs = numbered(e.view.runs);
      const selected = runs.some((r) => r.id === s.selectedRunId) ? s.selectedRunId : null;
      const shown = e.view.console;
      return {
        ...s,
        view: { ...e.view, runs },
        status: e.view.status,
        clocked: receiveTimer(e.view.timer, e.localNow),
        participants: e.view.participants,
        latestRun: [...runs].sort(byTime).at(-1) ?? null,
        selectedRunId: selected,
        loads: s.loads + 1,
        notes: e.view.notes ?? [],
        signals: e.view.signals ?? [],
        chat: e.view.chat ?? [],
        hints: e.view.hints,
        // Someone joining (or back) sees the run everyone saw; a result already shown in full stays.
        console: shown && shown.id !== s.console?.id ? shown : s.console,
        testRuns: flight.forgetPending(s.testRuns),
        consoleRuns: flight.forgetPending(s.consoleRuns),
      };
    }
    case 'presence': {
      // One participant at a time; observers who left drop out of the list.
      const others = s.participants.filter((q) => q.id !== e.participant.id);
      const gone = e.participant.role === 'observer' && !e.participant.online;
      return { ...s, participants: gone ? others : [...others, e.participant] };
    }
    case 'timer':
      return {
        ...s,
        status: e.status,
        clocked: receiveTimer(e.timer, e.localNow),
        view: s.view ? { ...s.view, status: e.status, timer: e.timer } : null,
      };
    case 'timer-warning':
      return s; // a toast only (room.ts)
    case 'run-queued':
      return { ...s, testRuns: flight.queued(s.testRuns, e.queued) };
    case 'run': {
      const known = s.view?.runs ?? [];
      const same = known.find((r) => r.id === e.run.id);
      const next = Math.max(0, ...known.map((r) => r.number ?? 0)) + 1;
      const run = { ...e.run, number: e.run.number ?? same?.number ?? next };
      // A new result is what everyone wants to see: the history follows it again.
      return {
        ...s,
        latestRun: run,
        selectedRunId: null,
        view: s.view ? { ...s.view, runs: [...known.filter((r) => r.id !== run.id), run] } : null,
        testRuns: flight.finished(s.testRuns, e.run.id),
      };
    }
    case 'console-queued':
      return { ...s, consoleRuns: flight.queued(s.consoleRuns, e.queued) };
    case 'console':
      return { ...s, console: e.run, consoleRuns: flight.finished(s.consoleRuns, e.run.id) };
    case 'note':
      return { ...s, notes: appendOnce(s.notes, e.note) };
    case 'chat':
      return { ...s, chat: appendOnce(s.chat, e.message) };
    case 'signal':
      return { ...s, signals: [...s.signals, e.event] };
    case 'select':
      return { ...s, selectedRunId: e.runId !== null && s.view?.runs.some((r) => r.id === e.runId) ? e.runId : null };
    case 'requesting':
      return { ...s, [runsKey(e.kind)]: flight.requesting(s[runsKey(e.kind)], true) };
    case 'accepted':
      return { ...s, [runsKey(e.kind)]: flight.accepted(s[runsKey(e.kind)], e.queued) };
    case 'refused':
      return { ...s, [runsKey(e.kind)]: flight.requesting(s[runsKey(e.kind)], false) };
    case 'hint': {
      const revealed = s.hints?.revealed ?? [];
      if (revealed.some((x) => x.number === e.hint.number)) return s;
      return { ...s, hints: { total: s.hints?.total ?? 0, revealed: [...revealed, e.hint].sort((a, b) => a.number - b.number) } };
    }
  }
}

/** The run whose results are shown: the one picked in the history, else the newest. */
export function shownRun(s: RoomState): RunView | null {
  return s.view?.runs.find((r) => r.id === s.selectedRunId) ?? s.latestRun;
}
