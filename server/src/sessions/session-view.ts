// The state a connection gets on (re)connection, redacted for its role: runs through views.runView,
// the chat for everyone in an interview, notes, integrity signals and the interviewer's guide for mentors only, a practice attempt's
// revealed hints for its student.
import type { ConsoleRunView } from '../../../common/console.ts';
import { may } from '../../../common/policy.ts';
import type { SessionView } from '../../../common/protocol.ts';
import { toPublicExercise } from '../exercises/load.ts';
import type { Store } from '../store/types.ts';
import { nameOf, type Live } from './live.ts';
import { participantsOf } from './presence.ts';
import type { Identity } from './service-types.ts';
import { revealedHints } from './hints.ts';
import { chatHistory } from './chat.ts';
import { SIGNAL_TYPES, signalView } from './signals.ts';
import { timerView } from './timer.ts';
import { runView } from './views.ts';

/** Manual runs a (re)connection receives; the final grading always comes too. */
const MAX_RUNS_IN_VIEW = 20;

/** `latestConsole`: the session's latest console run (Consoles.latestRun), shown to everyone. */
export async function sessionView(store: Store, live: Live, who: Identity, now: number, latestConsole?: ConsoleRunView): Promise<SessionView> {
  const all = await store.listRuns(live.record.id);
  const manual = all.filter((r) => r.kind === 'manual').slice(-MAX_RUNS_IN_VIEW);
  const runs = all.filter((r) => r.kind === 'final' || manual.includes(r));
  const view: SessionView = {
    id: live.record.id,
    mode: live.record.mode,
    role: who.role,
    you: { id: who.participant.id, name: who.participant.name, role: who.role, online: true },
    candidateName: live.record.candidateName,
    status: live.record.status,
    timer: timerView(live.record, now),
    exercise: toPublicExercise(live.exercise),
    participants: participantsOf(live),
    // Numbered among all the session's runs, so "run #23" stays #23 when only the last 20 are sent.
    runs: runs.map((r) => ({ ...runView(r, who.role, nameOf(live, r.participantId), live.record.mode), number: all.indexOf(r) + 1 })),
  };
  if (latestConsole) view.console = latestConsole;
  if (may(live.record.mode, who.role, live.record.status, 'guide')) view.guide = { markdown: live.exercise.guide, solution: live.exercise.solution };
  const events = await store.listEvents(live.record.id);
  // Everyone in an interview's room reads the chat (observers too); practice has none.
  if (live.record.mode === 'interview') view.chat = chatHistory(live, events);
  if (who.role === 'mentor') {
    view.notes = (await store.listNotes(live.record.id)).map((n) => ({ id: n.id, at: n.at, text: n.text }));
    view.signals = events.filter((e) => SIGNAL_TYPES.has(e.type)).map(signalView);
  }
  if (live.record.mode === 'practice') view.hints = { total: live.exercise.hints.length, revealed: revealedHints(events) };
  return view;
}
