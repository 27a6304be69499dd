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
  /** The run whose results are shown (the newest). */
  latestRun: RunView | null;
}

export type RoomEvent =
  | { type: 'state'; view: SessionView; localNow: number }
  | { type: 'presence'; participant: Participant }
  | { type: 'timer'; timer: TimerView; status: SessionStatus; localNow: number }
  | { type: 'run'; run: RunView };

export const initialRoomState: RoomState = { view: null, status: 'waiting', clocked: null, participants: [], latestRun: null };

export function reduceRoom(s: RoomState, e: RoomEvent): RoomState {
  switch (e.type) {
    case 'state':
      return {
        view: e.view,
        status: e.view.status,
        clocked: receiveTimer(e.view.timer, e.localNow),
        participants: e.view.participants,
        latestRun: [...e.view.runs].sort((a, b) => a.at - b.at).at(-1) ?? null,
      };
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
    case 'run':
      return {
        ...s,
        latestRun: e.run,
        view: s.view ? { ...s.view, runs: [...s.view.runs.filter((r) => r.id !== e.run.id), e.run] } : null,
      };
  }
}
