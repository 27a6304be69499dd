// What the replay and report pages share: the top bar and the page shown when a link does not open.
import type { ReviewData } from '../../../common/review.ts';
import { ApiError } from '../api.ts';
import { h } from '../ui/dom.ts';

export function reviewTopbar(data: ReviewData, page: 'Replay' | 'Report', actions: HTMLElement[]): HTMLElement {
  const mode = data.session.mode === 'practice' ? 'Practice attempt' : 'Interview';
  const i = data.session.imported;
  const imported = i ? { date: new Date(i.importedAt).toLocaleString(), source: i.source } : null;
  return h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'brand', href: data.role === 'mentor' ? '/mentor' : '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
    h(
      'div',
      { class: 'topbar-info' },
      h('span', { class: 'room-title', title: data.exercise.title }, data.exercise.title),
      h('span', { class: 'badge badge-review' }, page),
      h('span', { class: 'room-candidate', title: data.session.candidateName }, `${mode}: ${data.session.candidateName}`),
      imported ? h('span', { class: 'badge badge-imported', title: `Imported ${imported.date} from ${imported.source}` }, 'Imported') : null,
    ),
    h('div', { class: 'topbar-right' }, ...actions),
  );
}

export function reviewFailure(app: HTMLElement, err: unknown): void {
  const e = err instanceof ApiError ? err : null;
  const title = e?.code === 'conflict' ? 'The review is not open yet' : e?.code === 'forbidden' ? 'This link does not open the review' : 'This review link does not work';
  const text =
    e?.code === 'conflict'
      ? 'The replay and the report open once the session has ended.'
      : e?.code === 'forbidden'
        ? 'Interview links let people take part; reviewing needs the review link, which the interviewer shares.'
        : 'It may be mistyped, or the session was removed.';
  app.replaceChildren(
    h(
      'div',
      { class: 'center-card' },
      h('h1', {}, title),
      h('p', {}, text),
      e ? h('p', { class: 'muted' }, e.message) : h('p', { class: 'muted' }, String((err as Error)?.message ?? err)),
      h('a', { class: 'btn btn-secondary', href: '/' }, 'Home'),
    ),
  );
}
