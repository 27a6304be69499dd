// The interviewer's guide in the mentor's side panel: the exercise's GUIDE.md (what to watch for,
// follow-up questions, common mistakes) and the reference solution, read-only. Only a mentor's
// session state carries it ('guide' in common/policy.ts); nobody else's browser ever has it.
import type { InterviewerGuide } from '../../../common/protocol.ts';
import { focusableScrollers, h, nodes } from '../ui/dom.ts';
import { renderMarkdown } from './markdown.ts';

export function renderGuide(host: HTMLElement, guide: InterviewerGuide, colorize?: (el: HTMLElement) => void): void {
  const body = h('div', { class: 'markdown guide-text' });
  if (guide.markdown) body.innerHTML = renderMarkdown(guide.markdown);
  focusableScrollers(body);
  for (const a of body.querySelectorAll('a')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  const solution = h('pre', { tabindex: 0, class: 'header-code guide-solution', 'data-lang': 'c', 'aria-label': 'Reference solution (read-only)' }, guide.solution);
  colorize?.(solution);
  host.replaceChildren(
    ...nodes(
      h('p', { class: 'guide-private' }, 'Only interviewers see this tab: the candidate and observers never receive it.'),
      guide.markdown ? body : h('p', { class: 'muted' }, 'This exercise has no interviewer’s guide yet.'),
      h('h2', { class: 'headers-title' }, 'Reference solution'),
      h('p', { class: 'muted small' }, 'Read-only. The tests’ expected outputs come from it.'),
      solution,
    ),
  );
}
