// The room's session state as a reducer of server events, apart from rendering: room.ts feeds it
// events and renders what it returns. Pure (no DOM, no socket) so it is unit-tested.
import type { Participant, RunView, SessionStatus, SessionView, TimerView } from '../../../common/protocol.ts';
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
}

export type RoomEvent =
  | { type: 'state'; view: SessionView; localNow: number }
  | { type: 'presence'; participant: Participant }
  | { type: 'timer'; timer: TimerView; status: SessionStatus; localNow: number }
  | { type: 'run'; run: RunView }
  | { type: 'select'; runId: string | null };

export const initialRoomState: RoomState = { view: null, status: 'waiting', clocked: null, participants: [], latestRun: null, selectedRunId: null };

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

export function reduceRoom(s: RoomState, e: RoomEvent): RoomState {
  switch (e.type) {
    case 'state': {
      const runs = numbered(e.view.runs);
      const selected = runs.some((r) => r.id === s.selectedRunId) ? s.selectedRunId : null;
      return {
        view: { ...e.view, runs },
        status: e.view.status,
        clocked: receiveTimer(e.view.timer, e.localNow),
        participants: e.view.participants,
        latestRun: [...runs].sort(byTime).at(-1) ?? null,
        selectedRunId: selected,
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
      };
    }
    case 'select':
      return { ...s, selectedRunId: e.runId !== null && s.view?.runs.some((r) => r.id === e.runId) ? e.runId : null };
  }
}

/** The run whose results are shown: the one picked in the history, else the newest. */
export function shownRun(s: RoomState): RunView | null {
  return s.view?.runs.find((r) => r.id === s.selectedRunId) ?? s.latestRun;
}
