// A student's attempts at one exercise: a small chart of score and time used per attempt (uPlot)
// and the same numbers as a table, which is what a screen reader (or a printout) gets.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PracticeAttempt } from '../../../common/practice.ts';
import { h, nodes } from '../ui/dom.ts';
import { attemptHref, timeUsed } from './api.ts';

const STATUS = { waiting: 'Not started', live: 'In progress', ended: 'Submitted' } as const;

function percent(a: PracticeAttempt): number | null {
  return a.score && a.score.total > 0 ? Math.round((100 * a.score.passed) / a.score.total) : null;
}

function usedMinutes(a: PracticeAttempt): number | null {
  return a.startedAt === null || a.endedAt === null ? null : Math.max(0, (a.endedAt - a.startedAt) / 60_000);
}

/** `current`: the attempt the page is about, marked in the table. */
export function historySection(attempts: PracticeAttempt[], current: string | null): HTMLElement {
  const submitted = attempts.filter((a) => a.score !== null);
  const chart = h('div', { class: 'history-chart', role: 'img', 'aria-label': chartSummary(submitted) });
  const rows = attempts.map((a, i) =>
    h(
      'tr',
      { class: a.id === current ? 'current' : '', 'aria-current': a.id === current ? 'true' : undefined },
      h('td', {}, `#${i + 1}`),
      h('td', {}, new Date(a.createdAt).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })),
      h('td', { class: 'score' }, a.score ? `${a.score.passed}/${a.score.total}` : '–'),
      h('td', {}, `${timeUsed(a)} of ${Math.round(a.durationMs / 60_000)}:00`),
      h('td', {}, STATUS[a.status]),
      h(
        'td',
        {},
        a.id === current
          ? h('span', { class: 'muted' }, 'this attempt')
          : h('a', { href: attemptHref(a) }, a.status === 'ended' ? `Report of attempt #${i + 1}` : `Open attempt #${i + 1}`),
      ),
    ),
  );
  const section = h(
    'section',
    { class: 'history' },
    ...nodes(
      submitted.length >= 1 ? chart : null,
      h(
        'table',
        { class: 'sessions history-table' },
        h('caption', { class: 'sr-only' }, 'Your attempts at this exercise, oldest first'),
        h('thead', {}, h('tr', {}, ...['Attempt', 'Started', 'Score', 'Time used', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
  // uPlot measures its host: draw once the section is in the page.
  if (submitted.length >= 1) requestAnimationFrame(() => drawHistory(chart, attempts));
  return section;
}

function chartSummary(submitted: PracticeAttempt[]): string {
  if (submitted.length === 0) return 'No submitted attempts yet';
  const parts = submitted.map((a) => `${a.score!.passed} of ${a.score!.total} in ${timeUsed(a)}`);
  return `Score and time used per submitted attempt: ${parts.join('; ')}`;
}

function drawHistory(host: HTMLElement, attempts: PracticeAttempt[]): void {
  const xs = attempts.map((_a, i) => i + 1);
  const width = Math.min(860, Math.max(300, host.clientWidth || 600));
  const opts: uPlot.Options = {
    width,
    height: 170,
    scales: { x: { time: false, range: [0.5, attempts.length + 0.5] }, y: { range: [0, 100] }, min: { range: (_u, _lo, hi) => [0, Math.max(5, Math.ceil(hi ?? 0))] } },
    axes: [
      { label: 'attempt', values: (_u, vals) => vals.map((v) => (Number.isInteger(v) ? `#${v}` : '')) },
      { label: 'score %', scale: 'y' },
      { label: 'minutes used', scale: 'min', side: 1, grid: { show: false } },
    ],
    series: [
      {},
      { label: 'score %', scale: 'y', stroke: '#16a34a', width: 2, points: { size: 8, fill: '#16a34a' } },
      { label: 'minutes used', scale: 'min', stroke: '#2563eb', width: 1, dash: [4, 4], points: { size: 6, fill: '#2563eb' } },
    ],
    legend: { show: true },
  };
  new uPlot(opts, [xs, attempts.map(percent), attempts.map(usedMinutes)], host);
}
