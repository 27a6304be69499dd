// The report page (/r/<token>/report): final code and verdicts, time used, runs and compile
// errors, passing cases over interview time (uPlot), integrity signals, notes, the chat, the mentor's
// scorecard, and exports. Prints to a clean one- or two-page PDF (see @media print).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './review.css';
import type { CaseResult } from '../../../common/exercise.ts';
import type { Mode } from '../../../common/policy.ts';
import { CRITERIA, CRITERION_LABEL, RATING_LABEL, SCORECARD_TEXT_CHARS, type Criterion, type ReviewData, type ReviewRun, type Scorecard } from '../../../common/review.ts';
import { h, nodes, toast } from '../ui/dom.ts';
import { download, fileStem, reviewApi } from './api.ts';
import { historyOf } from './history.ts';
import { reviewFailure, reviewTopbar } from './shell.ts';
import { chatOf, formatDuration, formatInterviewTime, markersOf, originOf } from './timeline.ts';
import { renderChatMessage } from '../room/chat-panel.ts';

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
  const chat = chatOf(data);

  const stat = (label: string, value: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
  const hiddenCases = final?.cases.filter((c) => !c.visible) ?? [];
  // Small sections stay whole on paper; long ones (verdicts, code) may break across pages.
  const section = (title: string, ...children: Array<Node | string | null>) => h('section', { class: 'report-section keep' }, h('h2', {}, title), ...nodes(...children));
  const longSection = (title: string, ...children: Array<Node | string | null>) => h('section', { class: 'report-section' }, h('h2', {}, title), ...nodes(...children));

  app.replaceChildren(
    h(
      'div',
      { class: 'page report' },
      reviewTopbar(data, 'Report', [
        h('a', { class: 'btn btn-secondary btn-small', href: replayLink }, 'Replay'),
        action('Export JSON', async () => download(`${fileStem(data)}.json`, JSON.stringify(await reviewApi.exportJson(token), null, 1), 'application/json')),
        action('Download .c', async () => download(`${fileStem(data)}.c`, finalCode, 'text/x-csrc')),
        action('Print / PDF', async () => window.print()),
      ]),
      h(
        'main',
        { class: 'report-body' },
        h('h1', {}, `${data.exercise.title}: ${s.candidateName}`),
        h(
          'p',
          { class: 'muted' },
          `${s.mode === 'practice' ? 'Practice attempt' : 'Interview'} of ${new Date(s.createdAt).toLocaleDateString()} · ${data.participants.map((p) => `${p.name} (${p.role === 'mentor' ? 'interviewer' : p.role})`).join(', ')}${s.imported ? ` · imported ${new Date(s.imported.importedAt).toLocaleDateString()} from ${s.imported.source}` : ''}`,
        ),
        h(
          'div',
          { class: 'stats' },
          stat('final result', final ? (final.status === 'ok' ? `${final.passed}/${final.total}` : final.status.replace('_', ' ')) : 'not graded'),
          stat('hidden tests', `${hiddenCases.filter((c) => c.status === 'pass').length}/${hiddenCases.length}`),
          stat(`time used of ${formatInterviewTime(s.durationMs)}`, formatInterviewTime(usedMs)),
          stat('runs', String(manual.length)),
          stat('compile errors', String(data.runs.filter((r) => r.status === 'compile_error').length)),
          stat('flagged pastes', String(flaggedPastes)),
          stat('time away', awayMs > 0 ? formatDuration(awayMs) : 'none'),
        ),
        section(
          s.mode === 'practice' ? 'Passing tests over the attempt' : 'Passing cases over the interview',
          chartHost,
          data.runs.length === 0 ? h('p', { class: 'muted' }, 'No tests were run.') : null,
        ),
        longSection('Final verdicts', final ? verdicts(final) : h('p', { class: 'muted' }, 'The session was not graded.')),
        longSection('Final code', numberedCode(finalCode)),
        section(
          'Integrity signals',
          signals.length === 0
            ? h('p', { class: 'muted' }, 'No pastes or focus changes were recorded.')
            : h('ul', { class: 'signals' }, ...signals.map((m) => h('li', { class: `signal marker-${m.kind}` }, h('span', { class: 'at' }, formatInterviewTime(m.t)), m.label))),
          h('p', { class: 'muted small' }, 'Signals are reported by the candidate’s browser: context for a conversation, not proof.'),
        ),
        section(
          'Interviewer notes',
          data.notes.length === 0
            ? h('p', { class: 'muted' }, 'No notes.')
            : h(
                'ul',
                { class: 'notes' },
                ...data.notes.map((n) =>
                  h(
                    'li',
                    {},
                    h(
                      'span',
                      { class: 'at', title: new Date(n.at).toLocaleString() },
                      `${formatInterviewTime(n.at - origin)} · ${new Date(n.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`,
                    ),
                    h('span', { class: 'note-text' }, n.text),
                  ),
                ),
              ),
        ),
        // What everyone in the room wrote (unlike the notes above, which only interviewers saw).
        longSection(
          'Chat',
          chat.length === 0 ? h('p', { class: 'muted' }, 'No chat messages.') : h('ol', { class: 'chat-list report-chat' }, ...chat.map((m) => renderChatMessage(m, s.startedAt))),
        ),
        section('Scorecard', scorecard(data, token)),
      ),
    ),
  );
  drawChart(chartHost, data.runs, origin, s.durationMs, usedMs, s.mode);
}

/** The code with its line numbers (not copied with the text), wrapped lines indented past them. */
function numberedCode(code: string): HTMLElement {
  const lines = code.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  const pre = h('pre', { class: 'final-code', style: `--ln-width: ${width + 1}ch` });
  lines.forEach((line, i) => pre.append(h('span', { class: 'code-line' }, h('span', { class: 'ln', 'aria-hidden': 'true' }, String(i + 1)), line, '\n')));
  return pre;
}

function action(label: string, run: () => Promise<void>): HTMLButtonElement {
  const b = h('button', { class: 'btn btn-ghost btn-small', type: 'button' }, label);
  b.addEventListener('click', () => run().catch((err: Error) => toast(`${label} failed: ${err.message}`, 'error')));
  return b;
}

function verdicts(run: ReviewRun): HTMLElement {
  if (run.status !== 'ok') {
    return h(
      'div',
      {},
      h('p', {}, run.status === 'compile_error' ? 'The final code did not compile.' : (run.error ?? 'The final code was not graded.')),
      run.compilerOutput ? h('pre', { class: 'compiler-output', tabindex: 0 }, run.compilerOutput) : null,
    );
  }
  return h(
    'table',
    { class: 'verdicts' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Case'), h('th', {}, 'Kind'), h('th', {}, 'Result'), h('th', {}, 'Detail'))),
    h(
      'tbody',
      {},
      ...run.cases.map((c) =>
        h(
          'tr',
          { class: c.status === 'pass' ? 'pass' : 'fail' },
          h('td', {}, c.name),
          h('td', {}, c.visible ? 'visible' : 'hidden'),
          h('td', {}, c.status === 'pass' ? '✓ pass' : `✗ ${c.status.replace('_', ' ')}`),
          h('td', {}, c.fault ? `${c.fault.message}${c.fault.line ? ` (line ${c.fault.line})` : ''}` : '', outputs(c)),
        ),
      ),
    ),
  );
}

/**
 * A failing case's expected and actual output, folded. Hidden cases have it only for viewers with
 * 'see:hidden' (the server leaves it out for the others), and never their input.
 */
function outputs(c: CaseResult): HTMLElement | null {
  const d = c.detail;
  if (!d) return null;
  const block = (title: string, text: string) => h('div', {}, h('h4', {}, title), h('pre', { tabindex: 0 }, text || '(empty)'));
  return h(
    'details',
    { class: 'case-outputs' },
    h('summary', {}, 'Expected and actual output'),
    h('div', { class: 'outputs-grid' }, ...nodes(d.input !== undefined ? block('Input', d.input) : null, block('Expected', d.expected), block('Output', d.actual))),
  );
}

/** How the chart names its time, its cases and its end: an interview's words or a practice attempt's. */
const CHART_WORDS = {
  interview: { axis: 'interview time', cases: 'cases', end: 'planned end', ended: 'Ended', endAt: 'the planned end' },
  practice: { axis: 'time into the attempt', cases: 'tests', end: 'time limit', ended: 'Submitted', endAt: 'the time limit' },
} as const;

/**
 * Passing cases over the session's time. The x axis spans the time actually used (or the last
 * run, if later); the planned end is a dashed line, or a note at the right edge when the session
 * ended before it. The chart follows its box's width, on screen and on paper. Without `usedMs`
 * it spans the planned time.
 */
export function drawChart(host: HTMLElement, runs: ReviewRun[], origin: number, plannedMs: number, usedMs = plannedMs, mode: Mode = 'interview'): void {
  const words = CHART_WORDS[mode];
  if (runs.length === 0) return;
  const xs = runs.map((r) => Math.max(0, (r.requestedAt - origin) / 1000));
  const passed = runs.map((r) => (r.status === 'ok' ? r.passed : 0));
  const total = runs.map((r) => r.total);
  const end = Math.max(usedMs / 1000, ...xs, 1);
  const planned = plannedMs / 1000;
  const widthOf = () => Math.max(280, Math.floor(host.clientWidth || 860));
  const options: uPlot.Options = {
    width: widthOf(),
    height: 200,
    scales: { x: { time: false, range: [0, end] }, y: { range: [0, Math.max(1, ...total)] } },
    axes: [
      { label: words.axis, values: (_u, vals) => vals.map((v) => formatInterviewTime(v * 1000)) },
      { label: words.cases, values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')) },
    ],
    series: [
      {},
      { label: 'passing', stroke: '#16a34a', width: 2, fill: '#16a34a22', points: { size: 7, fill: '#16a34a' }, paths: uPlot.paths.stepped!({ align: 1 }) },
      { label: words.cases, stroke: '#64748b', width: 1, dash: [4, 4], points: { show: false } },
    ],
    legend: { show: true },
    hooks: { draw: [(u) => drawPlannedEnd(u, Math.min(planned, end), planned <= end, words.end)] },
  };
  const plot = new uPlot(options, [xs, passed, total], host);
  // For tests: what the x axis spans and where the planned end is (seconds from the start).
  // and what the axis (drawn on the canvas) is called.
  Object.assign(host.dataset, { spanS: String(end), plannedS: String(planned), axis: words.axis });
  host.append(
    h(
      'p',
      { class: 'chart-caption muted small' },
      planned > end + 1
        ? `${words.ended} at ${formatInterviewTime(usedMs)}, before ${words.endAt} at ${formatInterviewTime(plannedMs)}.`
        : `Dashed line: ${words.endAt} (${formatInterviewTime(plannedMs)}).`,
    ),
  );
  // Printing lays the page out narrower: follow the box, and come back after.
  const fit = () => {
    const width = widthOf();
    if (width !== plot.width) plot.setSize({ width, height: 200 });
  };
  window.addEventListener('beforeprint', fit);
  window.addEventListener('afterprint', fit);
  window.addEventListener('resize', fit);
  window.matchMedia('print').addEventListener('change', fit);
}

/** The planned end as a dashed vertical line (inside the span) or an arrow at its right edge. */
function drawPlannedEnd(u: uPlot, x: number, inside: boolean, label: string): void {
  const ctx = u.ctx;
  const left = Math.round(u.valToPos(x, 'x', true));
  const { top, height } = u.bbox;
  ctx.save();
  ctx.strokeStyle = '#b45309';
  ctx.fillStyle = '#92400e';
  ctx.lineWidth = 2 * uPlot.pxRatio;
  ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, top + height);
  ctx.stroke();
  ctx.font = `${11 * uPlot.pxRatio}px sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillText(inside ? label : `${label} →`, left - 4 * uPlot.pxRatio, top + 12 * uPlot.pxRatio);
  ctx.restore();
}

function scorecard(data: ReviewData, token: string): HTMLElement {
  const card = data.scorecard;
  const value = (c: Criterion | 'overall') => (c === 'overall' ? card?.overall : card?.criteria[c]) ?? null;
  if (!data.canScore) {
    if (!card) return h('p', { class: 'muted' }, 'The interviewer has not filled in the scorecard.');
    return h(
      'div',
      { class: 'scorecard readonly' },
      h(
        'dl',
        {},
        ...(['overall', ...CRITERIA] as const).flatMap((c) => [
          h('dt', {}, c === 'overall' ? 'Overall' : CRITERION_LABEL[c]),
          h('dd', {}, RATING_LABEL[value(c) ?? 0] || 'not rated'),
        ]),
      ),
      card.text ? h('p', { class: 'scorecard-text' }, card.text) : null,
      h('p', { class: 'muted small' }, `Saved ${new Date(card.updatedAt).toLocaleString()}`),
    );
  }
  const rows = (['overall', ...CRITERIA] as const).map((c) => {
    const name = `rating-${c}`;
    const options = [1, 2, 3, 4].map((n) => h('label', { class: 'rating' }, h('input', { type: 'radio', name, value: String(n), checked: value(c) === n }), RATING_LABEL[n]!));
    return h('fieldset', { class: 'rating-row' }, h('legend', {}, c === 'overall' ? 'Overall' : CRITERION_LABEL[c]), ...options);
  });
  const text = h('textarea', {
    class: 'scorecard-text-input',
    rows: 5,
    maxlength: SCORECARD_TEXT_CHARS,
    placeholder: 'Summary for the hiring committee: strengths, concerns, recommendation.',
  }) as HTMLTextAreaElement;
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
