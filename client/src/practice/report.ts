// A student's report of a submitted practice attempt (/r/<token>/report in practice mode): what a
// student wants, not an interviewer's page. Score, time used, runs and hints; every test with its
// verdict and what it checks (hidden tests by name only, never their input); passing tests over
// the attempt; the hints used; the code beside the previous attempt's; the history of this
// exercise; "Try again"; and the final code with line numbers (last: it is the longest).
import './practice.css';
import type { CaseLesson, PracticeLearn } from '../../../common/practice.ts';
import type { ReviewData, ReviewRun } from '../../../common/review.ts';
import { drawChart } from '../review/report.ts';
import { download, fileStem } from '../review/api.ts';
import { historyOf } from '../review/history.ts';
import { reviewTopbar } from '../review/shell.ts';
import { formatInterviewTime, originOf } from '../review/timeline.ts';
import { h, nodes, toast } from '../ui/dom.ts';
import { practiceApi } from './api.ts';
import { diffView } from './diff-view.ts';
import { historySection } from './history.ts';

type Child = Node | string | null;

export async function startPracticeReport(app: HTMLElement, data: ReviewData): Promise<void> {
  // The lessons, the previous attempt and the history are this browser's own (its cookie): a
  // link opened elsewhere still gets the report, without them.
  const learn = await practiceApi.learn(data.session.id).catch((err: Error) => err);
  const lessons = learn instanceof Error ? null : learn;
  document.title = `Report: ${data.exercise.title}, practice`;
  const history = historyOf(data);
  const finalCode = lessons?.code ?? history.seek(history.length - 1).text;
  history.destroy();
  const s = data.session;
  const origin = originOf(data);
  const final = data.runs.find((r) => r.kind === 'final') ?? null;
  const runs = data.runs.filter((r) => r.kind === 'manual').length;
  const usedMs = s.startedAt !== null ? (s.endedAt ?? s.deadline ?? s.startedAt) - s.startedAt : 0;
  const hints = data.events.filter((e) => e.type === 'hint');
  const hidden = final?.cases.filter((c) => !c.visible) ?? [];
  const chartHost = h('div', { class: 'chart', role: 'img', 'aria-label': chartLabel(data.runs) });

  const stat = (label: string, value: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  const section = (id: string, title: string, ...children: Child[]) =>
    h('section', { class: 'report-section', 'aria-labelledby': id }, h('h2', { id }, title), ...nodes(...children));

  app.replaceChildren(
    h(
      'div',
      { class: 'page report practice-report' },
      reviewTopbar(data, 'Report', [
        h('a', { class: 'btn btn-secondary btn-small', href: location.pathname.replace(/\/report\/?$/, '') }, 'Replay'),
        action('Download .c', async () => download(`${fileStem(data)}.c`, finalCode, 'text/x-csrc')),
        h('a', { class: 'btn btn-ghost btn-small', href: '/practice' }, 'All exercises'),
      ]),
      h(
        'main',
        { class: 'report-body' },
        h('h1', {}, `${data.exercise.title}: your attempt`),
        h('p', { class: 'muted' }, `Practice attempt of ${new Date(s.createdAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}`),
        h(
          'div',
          { class: 'stats' },
          stat('score', final ? (final.status === 'ok' ? `${final.passed}/${final.total}` : final.status.replace('_', ' ')) : 'not graded'),
          stat('hidden tests passed', `${hidden.filter((c) => c.status === 'pass').length}/${data.exercise.hiddenCases}`),
          stat(`time used of ${formatInterviewTime(s.durationMs)}`, formatInterviewTime(usedMs)),
          stat('test runs', String(runs)),
          stat('hints used', `${hints.length} of ${data.exercise.hints}`),
        ),
        lessons
          ? null
          : h('p', { class: 'learn-missing', role: 'note' }, 'Open this report in the browser you practised in to see what each test checks, your earlier attempts and Try again.'),
        section(
          'tests-title',
          'Tests: your result and what each one checks',
          h('p', { class: 'muted' }, 'Hidden tests never show their input; here is what each one checks, so you know where to look next time.'),
          final ? verdicts(final, lessons?.lessons ?? []) : h('p', { class: 'muted' }, 'The attempt was not graded.'),
        ),
        section('passing-title', 'Passing tests over the attempt', chartHost, data.runs.length === 0 ? h('p', { class: 'muted' }, 'No tests were run.') : null),
        section(
          'hints-used-title',
          'Hints you used',
          hints.length === 0
            ? h('p', { class: 'muted' }, data.exercise.hints === 0 ? 'This exercise has no hints.' : 'None: you worked without hints.')
            : h(
                'ol',
                { class: 'hint-list' },
                ...hints.map((e) =>
                  h(
                    'li',
                    { class: 'hint' },
                    h('span', { class: 'hint-number' }, `Hint ${Number(e.data['number'])}`),
                    h('span', { class: 'at' }, ` at ${formatInterviewTime(e.at - origin)}: `),
                    String(e.data['text'] ?? ''),
                  ),
                ),
              ),
        ),
        lessons ? section('diff-title', 'Compared with your previous attempt', previousDiff(lessons)) : null,
        lessons ? section('history-title', `Your attempts at ${data.exercise.title}`, historySection(lessons.history, s.id)) : null,
        lessons ? section('again-title', 'Try again', tryAgain(data, lessons)) : null,
        section('code-title', 'Final code', numberedCode(finalCode)),
      ),
    ),
  );
  drawChart(chartHost, data.runs, origin, s.durationMs, usedMs, 'practice');
}

function action(label: string, run: () => Promise<void>): HTMLButtonElement {
  const b = h('button', { class: 'btn btn-ghost btn-small', type: 'button' }, label);
  b.addEventListener('click', () => run().catch((err: Error) => toast(`${label} failed: ${err.message}`, 'error')));
  return b;
}

function chartLabel(runs: ReviewRun[]): string {
  if (runs.length === 0) return 'No tests were run';
  return `Passing tests per run: ${runs.map((r) => (r.status === 'ok' ? `${r.passed} of ${r.total}` : r.status.replace('_', ' '))).join(', ')}`;
}

/** Every test of the final grading with its verdict and, where the exercise says, what it checks. */
function verdicts(run: ReviewRun, lessons: CaseLesson[]): HTMLElement {
  if (run.status !== 'ok') {
    return h(
      'div',
      {},
      h('p', {}, run.status === 'compile_error' ? 'The final code did not compile, so no test ran.' : (run.error ?? 'The final code was not graded.')),
      run.compilerOutput ? h('pre', { class: 'compiler-output' }, run.compilerOutput) : null,
    );
  }
  const explain = new Map(lessons.map((l) => [l.name, l.explain]));
  return h(
    'table',
    { class: 'verdicts lesson-table' },
    h('thead', {}, h('tr', {}, ...['Test', 'Kind', 'Result', 'What it checks'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...run.cases.map((c) =>
        h(
          'tr',
          { class: c.status === 'pass' ? 'pass' : 'fail' },
          h('td', { class: 'case-name' }, c.name),
          h('td', {}, c.visible ? 'visible' : 'hidden'),
          h(
            'td',
            {},
            c.status === 'pass' ? '✓ pass' : `✗ ${c.status.replace('_', ' ')}`,
            c.fault ? h('div', { class: 'small' }, `${c.fault.message}${c.fault.line ? ` (line ${c.fault.line})` : ''}`) : null,
          ),
          h('td', { class: 'lesson' }, explain.get(c.name) ?? (c.visible ? 'Shown in full in the room: its input and expected output.' : '–')),
        ),
      ),
    ),
  );
}

/** The code with line numbers (drawn by CSS, so copying the code copies no numbers). */
function numberedCode(code: string): HTMLElement {
  const lines = code.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return h('pre', { class: 'numbered-code', 'aria-label': `Final code, ${lines.length} lines` }, ...lines.map((l) => h('span', { class: 'code-line' }, l, '\n')));
}

function previousDiff(learn: PracticeLearn): HTMLElement {
  if (!learn.previous) return h('p', { class: 'muted' }, 'This is your first submitted attempt at this exercise: your next one will be compared with it.');
  const prev = learn.previous.attempt;
  const index = learn.history.findIndex((a) => a.id === prev.id) + 1;
  const when = new Date(prev.createdAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
  const score = prev.score ? `, score ${prev.score.passed}/${prev.score.total}` : '';
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, `Attempt #${index} of ${when}${score}, and this attempt.`),
    diffView(learn.previous.code, learn.code, `Changes from attempt #${index} to this attempt`),
  );
}

/** A fresh attempt (clock running) from the starter or from this attempt's final code. */
function tryAgain(data: ReviewData, learn: PracticeLearn): HTMLElement {
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const button = (label: string, cls: string, from: string | undefined) => {
    const b = h('button', { class: `btn ${cls}`, type: 'button' }, label);
    b.addEventListener('click', async () => {
      b.disabled = true;
      problem.textContent = '';
      try {
        const attempt = await practiceApi.start({ exercise: data.exercise.slug, start: true, ...(from ? { from } : {}) });
        location.assign(attempt.link);
      } catch (err) {
        problem.textContent = `Could not start: ${(err as Error).message}`;
        b.disabled = false;
      }
    });
    return b;
  };
  return h(
    'div',
    { class: 'try-again' },
    h('p', {}, `A new ${Math.round(data.session.durationMs / 60_000)}-minute attempt starts at once, with the clock running.`),
    h(
      'div',
      { class: 'form-row' },
      button('Try again from this code', 'btn-primary try-from-code', learn.attempt.id),
      button('Try again from the starter', 'btn-secondary try-from-starter', undefined),
    ),
    problem,
  );
}
