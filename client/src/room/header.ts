// The room's top bar from its state: title, who you are, who is online, the clock. The words that
// differ between an interview and a practice attempt are looked up by mode.
import type { Mode } from '../../../common/policy.ts';
import type { Participant, SessionStatus, SessionView } from '../../../common/protocol.ts';
import { colorFor } from '../editor/colors.ts';
import { finalCause } from '../session/history.ts';
import { formatMmSs, remainingMs, timerLevel, type ClockedTimer } from '../session/timer.ts';
import { formatClock, h } from '../ui/dom.ts';
import type { RoomLayout } from './layout.ts';

export const ROLE_LABEL = { mentor: 'Interviewer', candidate: 'Candidate', observer: 'Observer' } as const;

/** The badge and the line about the candidate, per mode. */
const HEADING: Record<Mode, (v: SessionView) => { badge: string; badgeClass: string; candidate: string }> = {
  interview: (v) => ({
    badge: ROLE_LABEL[v.role],
    badgeClass: v.role,
    candidate: v.role === 'candidate' ? `Welcome, ${v.candidateName}` : `Candidate: ${v.candidateName}`,
  }),
  practice: () => ({ badge: 'Practice', badgeClass: 'practice', candidate: 'On the clock, on your own' }),
};

/** Where the brand in the top bar leads: the interviewer's dashboard, the practice list, or home. */
const HOME: Record<Mode, (v: SessionView) => string | null> = {
  interview: (v) => (v.role === 'mentor' ? '/mentor' : null),
  practice: () => '/practice',
};

export function homeLink(view: SessionView): string | null {
  return HOME[view.mode](view);
}

export function renderHeading(ui: RoomLayout, view: SessionView): void {
  ui.title.textContent = view.exercise.title;
  ui.title.title = view.exercise.title;
  const heading = HEADING[view.mode](view);
  ui.roleBadge.textContent = heading.badge;
  ui.roleBadge.className = `badge badge-${heading.badgeClass}`;
  ui.candidate.textContent = heading.candidate;
  ui.candidate.title = heading.candidate; // long names are cut with an ellipsis: the tooltip has it all
}

export function renderPresence(ui: RoomLayout, participants: readonly Participant[], me: string | undefined): void {
  ui.presence.replaceChildren(
    ...participants
      .filter((p) => p.online)
      .map((p) => {
        const dot = h('span', { class: 'dot' });
        dot.style.backgroundColor = colorFor(p.id);
        return h('li', { class: 'person', title: `${p.name} (${ROLE_LABEL[p.role]})` }, dot, p.id === me ? `${p.name} (you)` : p.name);
      }),
  );
}

export function renderTimer(ui: RoomLayout, clocked: ClockedTimer | null, status: SessionStatus, view: SessionView | null, now: number): void {
  if (!clocked) return;
  const ms = remainingMs(clocked, status, now);
  const level = timerLevel(ms, status);
  // Ended before the deadline (early, or a practice submitted): when it ended, not "00:00" left.
  const early = status === 'ended' && view !== null && finalCause(clocked.view, view.mode) !== 'deadline';
  const endedAt = early ? clocked.view.endedAt : null;
  ui.timer.textContent = endedAt !== null ? formatClock(endedAt) : formatMmSs(ms);
  ui.timer.className = `timer timer-${level}`;
  ui.timerLabel.textContent = level === 'waiting' ? 'Not started' : endedAt !== null ? 'Ended at' : level === 'ended' ? 'Ended' : 'Time left';
}
