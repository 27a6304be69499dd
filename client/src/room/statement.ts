// The problem statement: Markdown rendered and sanitized by markdown.ts (the only innerHTML in
// the app), then the public headers as colourised C.
import type { PublicExercise } from '../../../common/exercise.ts';
import { focusableScrollers, h, nodes } from '../ui/dom.ts';
import { renderMarkdown } from './markdown.ts';

export function renderStatement(host: HTMLElement, exercise: PublicExercise, colorize?: (el: HTMLElement) => void): void {
  const body = h('div', { class: 'markdown' });
  body.innerHTML = renderMarkdown(exercise.statement);
  // Statements usually open with their own title: we already show it above the metadata.
  const first = body.firstElementChild;
  if (first?.tagName === 'H1' && first.textContent?.trim() === exercise.title.trim()) first.remove();
  focusableScrollers(body);
  for (const a of body.querySelectorAll('a')) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  const meta = h(
    'div',
    { class: 'statement-meta' },
    h('span', { class: `difficulty difficulty-${exercise.difficulty}` }, exercise.difficulty),
    h('span', {}, `${exercise.minutes} min`),
    h('span', {}, `${exercise.visibleCases} visible tests · ${exercise.hiddenCases} hidden`),
  );
  const headers = Object.entries(exercise.headers).map(([file, source]) => {
    const code = h('pre', { tabindex: 0, class: 'header-code', 'data-lang': 'c' }, source);
    colorize?.(code);
    return h('section', { class: 'header-file' }, h('h3', {}, file), code);
  });
  host.replaceChildren(
    ...nodes(
      h('h1', { class: 'statement-title' }, exercise.title),
      meta,
      body,
      headers.length > 0 ? h('h2', { class: 'headers-title' }, 'Headers you can include') : null,
      ...headers,
    ),
  );
}
