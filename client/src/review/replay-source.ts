// A recorded session as a RoomSource: `seek(at)` feeds the room's reducer (room/state.ts) the
// events the live room received up to that instant, so the replay reads the same state the room
// renders. Runs count from when they were requested (as the replay's timeline places them); notes,
// chat messages and integrity signals from when they were recorded. Timer changes, console runs
// and hints stay on the replay's own timeline. Every command is refused: a replay changes nothing.
import type { ErrorReply, Result, SessionView } from '../../../common/protocol.ts';
import type { ReviewData } from '../../../common/review.ts';
import type { RoomSource } from '../room/source.ts';
import type { ServerEvent } from '../room/state.ts';
import { chatOf } from './timeline.ts';

export interface ReplaySource extends RoomSource {
  /** Moves to an instant (server time): forward, only the events since; backward, the session again from its start. */
  seek(at: number): void;
}

const SIGNALS = new Set(['paste', 'focus_lost', 'focus_back']);
const READ_ONLY: ErrorReply = { code: 'forbidden', message: 'A replay is read-only.' };
const refused = <T>(): Promise<Result<T>> => Promise.resolve({ ok: false, error: READ_ONLY });

/** The recorded events in the order the room would have seen them, each with its instant. */
export function recordedEvents(data: ReviewData): Array<{ at: number; event: ServerEvent }> {
  const timed: Array<{ at: number; event: ServerEvent }> = [
    ...data.runs.map((run) => ({ at: run.requestedAt, event: { type: 'run', run } as const })),
    ...data.notes.map((note) => ({ at: note.at, event: { type: 'note', note } as const })),
    ...data.events.filter((e) => SIGNALS.has(e.type)).map((e) => ({ at: e.at, event: { type: 'signal', event: e } as const })),
    ...chatOf(data).map((message) => ({ at: message.at, event: { type: 'chat', message } as const })),
  ];
  // Stable: events of one instant keep their order above (runs, notes, signals, chat).
  return timed.sort((a, b) => a.at - b.at);
}

/** The room as it was when the session was created: nothing run, nothing said. */
export function viewAtCreation(data: ReviewData): SessionView {
  const role = data.role === 'review' ? 'observer' : data.role;
  const s = data.session;
  return {
    id: s.id,
    role,
    mode: s.mode,
    candidateName: s.candidateName,
    status: 'waiting',
    exercise: data.exercise,
    you: { id: 'review', name: 'Review', role, online: false },
    timer: { durationMs: s.durationMs, startedAt: null, deadline: null, endedAt: null, serverNow: s.createdAt },
    participants: data.participants.map((p) => ({ ...p, online: false })),
    runs: [],
    notes: [],
    chat: [],
    signals: [],
  };
}

export function replaySource(data: ReviewData): ReplaySource {
  const events = recordedEvents(data);
  const listeners = new Set<(e: ServerEvent) => void>();
  const emit = (e: ServerEvent): void => {
    for (const l of listeners) l(e);
  };
  let position = -Infinity;
  let next = 0; // the first event not yet fed

  return {
    connected: false,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    seek(at) {
      if (at < position || position === -Infinity) {
        emit({ type: 'state', view: viewAtCreation(data), localNow: data.session.createdAt });
        next = 0;
      }
      position = at;
      for (; next < events.length && events[next]!.at <= at; next++) emit(events[next]!.event);
    },
    runTests: refused,
    runConsole: refused,
    startTimer: refused,
    addMinutes: refused,
    endSession: refused,
    addNote: refused,
    sendChat: refused,
    revealHint: refused,
    reportSignal: () => {},
  };
}
