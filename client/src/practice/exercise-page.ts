// /practice/<slug>: an exercise to read before starting. Reading is free: the statement and the
// headers come without an attempt, so a student may open as many as they like; the attempt and
// its clock begin only when they press Start here. Below: their earlier attempts at it.
import './practice.css';
import type { PracticeExerciseDetail } from '../../../common/practice.ts';
import { renderStatement } from '../room/statement.ts';
import { h, nodes, toast } from '../ui/dom.ts';
import { practiceApi } from './api.ts';
import { historySection } from './history.ts';

export async function renderExercisePage(app: HTMLElement, slug: string): Promise<void> {
  document.title = 'Practice — C Interview';
  app.replaceChildren(h('div', { class: 'center-card' }, h('p', {}, 'Loading the exercise…')));
  let detail: PracticeExerciseDetail;
  try {
    detail = await practiceApi.exercise(slug);
  } catch (err) {
    app.replaceChildren(
      h(
        'div',
        { class: 'center-card', role: 'alert' },
        h('h1', {}, 'This exercise could not be opened'),
        h('p', { class: 'muted' }, (err as Error).message),
        h('a', { class: 'btn btn-secondary', href: '/practice' }, 'All exercises'),
      ),
    );
    return;
  }
  const e = detail.exercise;
  document.title = `${e.title} — Practice`;
  const statement = h('article', { class: 'statement read-statement', 'aria-label': 'Problem statement' });
  renderStatement(statement, e);

  const problem = h('p', { class: 'form-error', role: 'alert' });
  const start = h('button', { class: 'btn btn-primary start-attempt', type: 'button' }, `Start the ${e.minutes}-minute attempt`);
  start.addEventListener('click', async () => {
    start.disabled = true;
    problem.textContent = '';
    try {
      const attempt = await practiceApi.start({ exercise: e.slug, start: true });
      location.assign(attempt.link);
    } catch (err) {
      problem.textContent = `Could not start: ${(err as Error).message}`;
      toast(problem.textContent, 'error', 8000);
      start.disabled = false;
    }
  });
  const hints = e.hints === 0 ? 'No hints for this one.' : `${e.hints} hint${e.hints === 1 ? '' : 's'}, one at a time if you ask (your report lists those you used).`;

  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('span', { class: 'room-title' }, e.title), h('span', { class: 'badge badge-practice' }, 'Practice')),
        h('div', { class: 'topbar-right' }, h('a', { class: 'btn btn-ghost', href: '/practice' }, 'All exercises')),
      ),
      h(
        'main',
        { class: 'practice read-page' },
        h(
          'div',
          { class: 'read-layout' },
          statement,
          h(
            'aside',
            { class: 'card start-card', 'aria-label': 'Start an attempt' },
            h('h2', {}, 'Ready?'),
            h('p', {}, 'Take your time reading: nothing has started. Press Start when you are ready and the clock begins.'),
            h(
              'ul',
              { class: 'start-facts' },
              h('li', {}, `${e.minutes} minutes on the clock`),
              h('li', {}, `${e.visibleCases} visible tests to run as often as you like; ${e.hiddenCases} hidden ones decide the score when you submit`),
              h('li', {}, hints),
            ),
            start,
            problem,
          ),
        ),
        ...nodes(
          detail.attempts.length > 0
            ? h(
                'section',
                { class: 'card', 'aria-labelledby': 'history-title' },
                h('h2', { id: 'history-title' }, 'Your attempts at this exercise'),
                historySection(detail.attempts, null),
              )
            : null,
        ),
      ),
    ),
  );
}
