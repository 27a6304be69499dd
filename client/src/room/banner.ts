// The banner under the top bar: what happens next (before the start) and the outcome (after the
// end), worded for an interview or a practice attempt, with the links the viewer may follow.
import { mayEver } from '../../../common/policy.ts';
import type { RunView, SessionStatus, SessionView } from '../../../common/protocol.ts';
import { finalCause } from '../session/history.ts';
import { summarizeRun } from '../session/results.ts';
import { formatClock } from '../ui/dom.ts';

export interface BannerContent {
  text: string;
  tone: 'info' | 'ended';
  links: Array<{ label: string; href: string }>;
}

export function bannerContent(view: SessionView, status: SessionStatus, latestRun: RunView | null, token: string): BannerContent | null {
  const minutes = Math.round(view.timer.durationMs / 60_000);
  const practice = view.mode === 'practice';
  if (status === 'waiting') {
    const text = practice
      ? `Read the problem, then press Start: you have ${minutes} minutes. Run the visible tests as often as you like; Submit (or the deadline) grades every test, hidden ones too.`
      : view.role === 'candidate'
        ? `Your interviewer will start the ${minutes}-minute timer when you are both ready. Read the problem in the meantime: the editor unlocks when the timer starts.`
        : view.role === 'mentor'
          ? `Waiting to start. ${view.candidateName} can read the problem; the editor unlocks when you start the ${minutes}-minute timer.`
          : 'The interview has not started yet.';
    return { text, tone: 'info', links: [] };
  }
  if (status !== 'ended') return null;
  const final = view.runs.find((r) => r.kind === 'final') ?? latestRun;
  const result = final ? `Final result: ${summarizeRun(final, view.role).headline.replace(/^Final: /, '')}.` : 'No tests were run.';
  const when = view.timer.endedAt ? ` at ${formatClock(view.timer.endedAt)}` : '';
  const links: BannerContent['links'] = [];
  // The review pages take this same link's token (the policy says who may review, once ended).
  if (mayEver(view.mode, view.role, 'review')) {
    links.push({ label: practice ? 'Replay your attempt' : 'Replay', href: `/r/${encodeURIComponent(token)}` });
    links.push({ label: practice ? 'Your report: what each test checks' : 'Report and scorecard', href: `/r/${encodeURIComponent(token)}/report` });
  }
  if (practice) links.push({ label: 'Back to practice', href: '/practice' });
  if (view.role === 'mentor') links.push({ label: 'Back to your interviews', href: '/mentor' });
  // Said the way it happened: the server stamps endedAt = deadline only when time ran out.
  const cause = finalCause(view.timer, view.mode);
  let text: string;
  if (practice) text = `${cause === 'deadline' ? `Time ran out${when}: your code was submitted` : `Submitted${when}`}. ${result}`;
  else {
    const how = cause === 'deadline' ? ` at the deadline${when ? `,${when.replace(/^ at/, '')}` : ''}` : ` early${when} (the interviewer ended it)`;
    text = `The interview ended${how}. ${result}${view.role === 'candidate' ? ' Thank you!' : ''}`;
  }
  return { text, tone: 'ended', links };
}
