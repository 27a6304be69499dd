// Practice: the exercise catalogue (filter by tag and difficulty, this browser's best score) and
// "My attempts" (score, date, time used, report, replay, delete). Identity is an HttpOnly cookie.
// A card opens the exercise to read (practice/exercise-page.ts): no attempt starts from here.
import type { PracticeAttempt, PracticeExercise } from '../../../common/practice.ts';
import { requestJson } from '../api.ts';
import { formatClock, h, toast } from '../ui/dom.ts';

const call = <T>(method: string, path: string, body?: unknown): Promise<T> => requestJson<T>(method, path, body);

const STATUS = { waiting: 'Not started', live: 'In progress', ended: 'Submitted' } as const;

function minutesUsed(a: PracticeAttempt): string {
  if (a.startedAt === null) return '–';
  const end = a.endedAt ?? Date.now();
  const s = Math.max(0, Math.round((end - a.startedAt) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} of ${Math.round(a.durationMs / 60_000)}:00`;
}

export function renderPractice(app: HTMLElement): void {
  document.title = 'Practice — C Interview';
  const catalogue = h('section', { class: 'catalogue', 'aria-label': 'Exercises' });
  const attempts = h('section', { class: 'card attempts' });
  const tag = h('select', { class: 'input filter-tag', 'aria-label': 'Filter by tag' });
  const difficulty = h(
    'select',
    { class: 'input filter-difficulty', 'aria-label': 'Filter by difficulty' },
    h('option', { value: '' }, 'Any difficulty'),
    h('option', { value: 'easy' }, 'Easy'),
    h('option', { value: 'medium' }, 'Medium'),
    h('option', { value: 'hard' }, 'Hard'),
  );
  let exercises: PracticeExercise[] = [];

  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('span', { class: 'room-title' }, 'Practice')),
        h('div', { class: 'topbar-right' }, h('a', { class: 'btn btn-ghost', href: '/mentor' }, 'Interviewer sign-in')),
      ),
      h(
        'main',
        { class: 'practice' },
        h(
          'div',
          { class: 'practice-head' },
          h(
            'div',
            {},
            h('h1', {}, 'Practise on the clock'),
            h(
              'p',
              { class: 'muted' },
              'Each exercise is what a 30-minute interview asks. Open one and read it (nothing starts until you press Start), run the visible tests as often as you like, and submit: hidden tests decide the score, and your report shows what each one checks. Your attempts stay in this browser.',
            ),
          ),
          h('div', { class: 'filters' }, tag, difficulty),
        ),
        catalogue,
        attempts,
      ),
    ),
  );

  const renderCatalogue = () => {
    const shown = exercises.filter((e) => (!tag.value || e.tags.includes(tag.value)) && (!difficulty.value || e.difficulty === difficulty.value));
    catalogue.replaceChildren(
      ...shown.map((e) => {
        const open = h('a', { class: 'btn btn-primary open-exercise', href: `/practice/${encodeURIComponent(e.slug)}`, 'aria-label': `Open ${e.title}` }, 'Open');
        return h(
          'article',
          { class: 'exercise-card', 'data-slug': e.slug },
          h('div', { class: 'exercise-top' }, h('h2', {}, e.title), h('span', { class: `difficulty difficulty-${e.difficulty}` }, e.difficulty)),
          h('p', { class: 'summary' }, e.summary),
          h('div', { class: 'tags' }, ...e.tags.map((t) => h('span', { class: 'topic' }, t))),
          h(
            'div',
            { class: 'exercise-foot' },
            h('span', { class: 'muted' }, `${e.minutes} min`),
            h(
              'span',
              { class: 'best', title: 'Your best submitted score (every test, hidden included)' },
              e.best ? `Best: ${e.best.passed}/${e.best.total}` : e.attempts > 0 ? 'Not submitted yet' : 'Not tried yet',
            ),
            open,
          ),
        );
      }),
    );
    if (shown.length === 0) catalogue.append(h('p', { class: 'muted' }, 'No exercise matches these filters.'));
  };

  const renderAttempts = (list: PracticeAttempt[]) => {
    if (list.length === 0) {
      attempts.replaceChildren(h('h2', {}, 'My attempts'), h('p', { class: 'muted' }, 'None yet. Your attempts and their replays appear here.'));
      return;
    }
    attempts.replaceChildren(
      h('h2', {}, 'My attempts'),
      h(
        'table',
        { class: 'sessions attempts-table' },
        h('thead', {}, h('tr', {}, ...['Exercise', 'Score', 'Date', 'Time used', 'Status', ''].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          ...list.map((a) => {
            const remove = h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'aria-label': `Delete the attempt at ${a.exercise.title}` }, 'Delete');
            remove.addEventListener('click', () => void removeAttempt(a));
            return h(
              'tr',
              { class: 'attempt-row', 'data-id': a.id },
              h('td', {}, a.exercise.title),
              h('td', { class: 'score' }, a.score ? `${a.score.passed}/${a.score.total}` : '–'),
              h('td', { class: 'muted' }, `${new Date(a.createdAt).toLocaleDateString()} ${formatClock(a.createdAt)}`),
              h('td', {}, minutesUsed(a)),
              h('td', {}, h('span', { class: `status status-${a.status}` }, STATUS[a.status])),
              h(
                'td',
                { class: 'actions' },
                ...(a.status === 'ended'
                  ? [
                      h('a', { class: 'btn btn-secondary btn-small', href: `${a.replay}/report` }, 'Report'),
                      h('a', { class: 'btn btn-secondary btn-small', href: a.replay }, 'Replay'),
                    ]
                  : [h('a', { class: 'btn btn-secondary btn-small', href: a.link }, a.status === 'live' ? 'Continue' : 'Open')]),
                remove,
              ),
            );
          }),
        ),
      ),
    );
  };

  async function refresh(): Promise<void> {
    try {
      const [list, mine] = await Promise.all([call<PracticeExercise[]>('GET', '/api/practice/exercises'), call<PracticeAttempt[]>('GET', '/api/practice/attempts')]);
      exercises = list;
      const tags = [...new Set(list.flatMap((e) => e.tags))].sort();
      const chosen = tag.value;
      tag.replaceChildren(h('option', { value: '' }, 'Any tag'), ...tags.map((t) => h('option', { value: t, selected: t === chosen }, t)));
      renderCatalogue();
      renderAttempts(mine);
    } catch (err) {
      catalogue.replaceChildren(h('div', { class: 'card' }, h('h2', {}, 'Could not load the exercises'), h('p', {}, (err as Error).message)));
    }
  }

  async function removeAttempt(a: PracticeAttempt): Promise<void> {
    if (!window.confirm(`Delete your attempt at ${a.exercise.title}? Its code, results and replay are removed for good.`)) return;
    try {
      await call<null>('DELETE', `/api/practice/attempts/${encodeURIComponent(a.id)}`);
      toast('Attempt deleted', 'ok');
      await refresh();
    } catch (err) {
      toast(`Could not delete: ${(err as Error).message}`, 'error');
    }
  }

  tag.addEventListener('change', renderCatalogue);
  difficulty.addEventListener('change', renderCatalogue);
  void refresh();
}
