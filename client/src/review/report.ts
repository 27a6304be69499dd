// The report page (/r/<token>/report): final code and verdicts, time used, runs and compile
// errors, passing cases over interview time (uPlot), integrity signals, notes, the mentor's
// scorecard, and exports. Prints to a clean one- or two-page PDF (see @media print).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './review.css';
import { CRITERIA, CRITERION_LABEL, SCORECARD_TEXT_CHARS, type Criterion, type ReviewData, type ReviewRun, type Scorecard } from '../../../common/review.ts';
import { h, nodes, toast } from '../ui/dom.ts';
import { download, fileStem, reviewApi } from './api.ts';
import { historyOf } from './history.ts';
import { reviewFailure, reviewTopbar } from './shell.ts';
import { formatDuration, formatInterviewTime, markersOf, originOf } from './timeline.ts';

const RATING_LABEL = ['', '1 · No', '2 · Leaning no', '3 · Leaning yes', '4 · Strong yes'];

export async function startReport(app: HTMLElement, token: string, loading: Promise<ReviewData> = reviewApi.load(token)): Promise<void> {
  app.replaceChildren(h('div', { class: 'center-card' }, h('p', {}, 'Loading the report…')));
  let data: ReviewData;
  try {
    data = await loading;
  } catch (err) {
    reviewFailure(app, err);
    return;
  }
  // A practice attempt gets a student's report (practice/report.ts): no notes, scorecard or signals.
  if (data.session.mode === 'practice') return (await import('../practice/report.ts')).startPracticeReport(app, data);
  document.title = `Report: ${data.exercise.title}, ${data.session.candidateName}`;
  const origin = originOf(data);
  const history = historyOf(data);
  const finalCode = history.seek(history.length - 1).text;
  history.destroy();
  const final = data.runs.find((r) => r.kind === 'final') ?? data.runs.at(-1) ?? null;
  const manual = data.runs.filter((r) => r.kind === 'manual');
  const s = data.session;
  const usedMs = s.startedAt !== null ? (s.endedAt ?? s.deadline ?? s.startedAt) - s.startedAt : 0;
  const signals = markersOf(data).filter((m) => m.kind === 'paste' || m.kind === 'focus');
  const awayMs = data.events.filter((e) => e.type === 'focus_back').reduce((sum, e) => sum + Number(e.data['awayMs'] ?? 0), 0);
  const flaggedPastes = data.events.filter((e) => e.type === 'paste' && e.data['flagged']).length;
  const replayLink = location.pathname.replace(/\/report\/?$/, '');
  const chartHost = h('div', { class: 'chart' });

  const stat = (label: string, value: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  const hiddenCases = final?.cases.filter((c) => !c.visible) ?? [];
  // Small sections stay whole on paper; long ones (verdicts, code) may break across pages.
  const section = (title: string, ...children: Array<Node | string | null>) => h('section', { class: 'report-section keep' }, h('h2', {}, title), ...nodes(...children));
  const longSection = (title: string, ...children: Array<Node | string | null>) => h('section', { class: 'report-section' }, h('h2', {}, title), ...nodes(...children));

  app.replaceChildren(
    h('div', { class: 'page report' },
      reviewTopbar(data, 'Report', [
        h('a', { class: 'btn btn-secondary btn-small', href: replayLink }, 'Replay'),
        action('Export JSON', async () => download(`${fileStem(data)}.json`, JSON.stringify(await reviewApi.exportJson(token), null, 1), 'application/json')),
        action('Download .c', async () => download(`${fileStem(data)}.c`, finalCode, 'text/x-csrc')),
        action('Print / PDF', async () => window.print()),
      ]),
      h('main', { class: 'report-body' },
        h('h1', {}, `${data.exercise.title}: ${s.candidateName}`),
        h('p', { class: 'muted' }, `${s.mode === 'practice' ? 'Practice attempt' : 'Interview'} of ${new Date(s.createdAt).toLocaleDateString()} · ${data.participants.map((p) => `${p.name} (${p.role === 'mentor' ? 'interviewer' : p.role})`).join(', ')}`),
        h('div', { class: 'stats' },
          stat('final result', final ? (final.status === 'ok' ? `${final.passed}/${final.total}` : final.status.replace('_', ' ')) : 'not graded'),
          stat('hidden tests', `${hiddenCases.filter((c) => c.status === 'pass').length}/${hiddenCases.length}`),
          stat(`time used of ${formatInterviewTime(s.durationMs)}`, formatInterviewTime(usedMs)),
          stat('runs', String(manual.length)),
          stat('compile errors', String(data.runs.filter((r) => r.status === 'compile_error').length)),
          stat('flagged pastes', String(flaggedPastes)),
          stat('time away', awayMs > 0 ? formatDuration(awayMs) : 'none')),
        section('Passing cases over the interview', chartHost, data.runs.length === 0 ? h('p', { class: 'muted' }, 'No tests were run.') : null),
        longSection('Final verdicts', final ? verdicts(final) : h('p', { class: 'muted' }, 'The session was not graded.')),
        longSection('Final code', h('pre', { class: 'final-code' }, finalCode)),
        section('Integrity signals',
          signals.length === 0
            ? h('p', { class: 'muted' }, 'No pastes or focus changes were recorded.')
            : h('ul', { class: 'signals' }, ...signals.map((m) => h('li', { class: `signal marker-${m.kind}` }, h('span', { class: 'at' }, formatInterviewTime(m.t)), m.label))),
          h('p', { class: 'muted small' }, 'Signals are reported by the candidate’s browser: context for a conversation, not proof.')),
        section('Interviewer notes',
          data.notes.length === 0
            ? h('p', { class: 'muted' }, 'No notes.')
            : h('ul', { class: 'notes' }, ...data.notes.map((n) => h('li', {}, h('span', { class: 'at', title: new Date(n.at).toLocaleString() }, `${formatInterviewTime(n.at - origin)} · ${new Date(n.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`), h('span', { class: 'note-text' }, n.text))))),
        section('Scorecard', scorecard(data, token)),
      )),
  );
  drawChart(chartHost, data.runs, origin, s.durationMs);
}

function action(label: string, run: () => Promise<void>): HTMLButtonElement {
  const b = h('button', { class: 'btn btn-ghost btn-small', type: 'button' }, label);
  b.addEventListener('click', () => run().catch((err: Error) => toast(`${label} failed: ${err.message}`, 'error')));
  return b;
}

function verdicts(run: ReviewRun): HTMLElement {
  if (run.status !== 'ok') {
    return h('div', {}, h('p', {}, run.status === 'compile_error' ? 'The final code did not compile.' : (run.error ?? 'The final code was not graded.')),
      run.compilerOutput ? h('pre', { class: 'compiler-output' }, run.compilerOutput) : null);
  }
  return h('table', { class: 'verdicts' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Case'), h('th', {}, 'Kind'), h('th', {}, 'Result'), h('th', {}, 'Detail'))),
    h('tbody', {}, ...run.cases.map((c) => h('tr', { class: c.status === 'pass' ? 'pass' : 'fail' },
      h('td', {}, c.name),
      h('td', {}, c.visible ? 'visible' : 'hidden'),
      h('td', {}, c.status === 'pass' ? '✓ pass' : `✗ ${c.status.replace('_', ' ')}`),
      h('td', {}, c.fault ? `${c.fault.message}${c.fault.line ? ` (line ${c.fault.line})` : ''}` : '')))));
}

export function drawChart(host: HTMLElement, runs: ReviewRun[], origin: number, durationMs: number): void {
  if (runs.length === 0) return;
  const xs = runs.map((r) => Math.max(0, (r.requestedAt - origin) / 1000));
  const passed = runs.map((r) => (r.status === 'ok' ? r.passed : 0));
  const total = runs.map((r) => r.total);
  const width = Math.min(860, Math.max(320, host.clientWidth || 860));
  const options: uPlot.Options = {
    width,
    height: 200,
    scales: { x: { time: false, range: [0, Math.max(durationMs / 1000, ...xs) + 1] }, y: { range: [0, Math.max(1, ...total)] } },
    axes: [
      { label: 'interview time', values: (_u, vals) => vals.map((v) => formatInterviewTime(v * 1000)) },
      { label: 'cases', values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
    ],
    series: [
      {},
      { label: 'passing', stroke: '#16a34a', width: 2, fill: '#16a34a22', points: { size: 7, fill: '#16a34a' }, paths: uPlot.paths.stepped!({ align: 1 }) },
      { label: 'cases', stroke: '#94a3b8', width: 1, dash: [4, 4], points: { show: false } },
    ],
    legend: { show: true },
  };
  new uPlot(options, [xs, passed, total], host);
}

function scorecard(data: ReviewData, token: string): HTMLElement {
  const card = data.scorecard;
  const value = (c: Criterion | 'overall') => (c === 'overall' ? card?.overall : card?.criteria[c]) ?? null;
  if (!data.canScore) {
    if (!card) return h('p', { class: 'muted' }, 'The interviewer has not filled in the scorecard.');
    return h('div', { class: 'scorecard readonly' },
      h('dl', {}, ...(['overall', ...CRITERIA] as const).flatMap((c) => [h('dt', {}, c === 'overall' ? 'Overall' : CRITERION_LABEL[c]), h('dd', {}, RATING_LABEL[value(c) ?? 0] || 'not rated')])),
      card.text ? h('p', { class: 'scorecard-text' }, card.text) : null,
      h('p', { class: 'muted small' }, `Saved ${new Date(card.updatedAt).toLocaleString()}`));
  }
  const rows = (['overall', ...CRITERIA] as const).map((c) => {
    const name = `rating-${c}`;
    const options = [1, 2, 3, 4].map((n) => h('label', { class: 'rating' }, h('input', { type: 'radio', name, value: String(n), checked: value(c) === n }), RATING_LABEL[n]!));
    return h('fieldset', { class: 'rating-row' }, h('legend', {}, c === 'overall' ? 'Overall' : CRITERION_LABEL[c]), ...options);
  });
  const text = h('textarea', { class: 'scorecard-text-input', rows: 5, maxlength: SCORECARD_TEXT_CHARS, placeholder: 'Summary for the hiring committee: strengths, concerns, recommendation.' }) as HTMLTextAreaElement;
  text.value = card?.text ?? '';
  const counter = h('span', { class: 'counter muted small' });
  const count = () => (counter.textContent = `${text.value.length} / ${SCORECARD_TEXT_CHARS}`);
  text.addEventListener('input', count);
  count();
  const saved = h('span', { class: 'muted small', 'aria-live': 'polite' }, card ? `Saved ${new Date(card.updatedAt).toLocaleString()}` : 'Not saved yet');
  const save = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Save scorecard');
  const form = h('form', { class: 'scorecard' }, ...rows, text, h('div', { class: 'form-row' }, save, counter, saved));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const pick = (c: string) => {
      const el = form.querySelector<HTMLInputElement>(`input[name="rating-${c}"]:checked`);
      return el ? Number(el.value) : null;
    };
    const criteria = Object.fromEntries(CRITERIA.map((c) => [c, pick(c)])) as Scorecard['criteria'];
    save.disabled = true;
    try {
      const r = await reviewApi.saveScorecard(token, { overall: pick('overall'), criteria, text: text.value });
      saved.textContent = `Saved ${new Date(r.updatedAt).toLocaleString()}`;
      toast('Scorecard saved', 'ok');
    } catch (err) {
      toast(`Scorecard not saved: ${(err as Error).message}`, 'error');
    } finally {
      save.disabled = false;
    }
  });
  return form;
}
