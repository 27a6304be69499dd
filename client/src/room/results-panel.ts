// Results of the latest run, as the viewer's role may see them.
import type { Mode } from '../../../common/policy.ts';
import type { Participant, Role, RunView, TimerView } from '../../../common/protocol.ts';
import { FINAL_CAUSE_TEXT, finalCause, formatElapsed } from '../session/history.ts';
import { runMarkers } from '../session/markers.ts';
import { summarizeRun, type CaseRow } from '../session/results.ts';
import { formatClock, h, nodes } from '../ui/dom.ts';

function caseDetail(row: CaseRow): HTMLElement | null {
  const d = row.detail;
  if (!d && !row.fault && !row.stderr) return null;
  const parts: HTMLElement[] = [];
  if (row.stderr) parts.push(h('h4', {}, 'stderr (not compared)'), h('pre', { class: 'stderr', tabindex: 0 }, row.stderr));
  if (row.fault) parts.push(h('p', { class: 'fault' }, row.fault.line ? `${row.fault.message} (line ${row.fault.line})` : row.fault.message));
  if (d) {
    // A hidden case's input never leaves the server; interviewers still get what it expected and got.
    parts.push(
      h(
        'div',
        { class: `io-grid${d.input === undefined ? ' io-grid-2' : ''}` },
        d.input !== undefined ? h('div', {}, h('h4', {}, 'Input'), h('pre', { tabindex: 0 }, d.input || '(empty)')) : null,
        h('div', {}, h('h4', {}, 'Expected'), h('pre', { tabindex: 0 }, d.expected || '(empty)')),
        h('div', {}, h('h4', {}, 'Your output'), h('pre', { tabindex: 0 }, d.actual || '(empty)')),
      ),
    );
    if (d.input === undefined) parts.push(h('p', { class: 'hidden-input-note' }, 'Hidden case: its input is not shown to anyone.'));
    if (d.diff) parts.push(h('h4', {}, 'Difference'), diffLegend(), diffBlock(d.diff));
    if (d.stderr) parts.push(h('h4', {}, 'stderr (not compared)'), h('pre', { class: 'stderr', tabindex: 0 }, d.stderr));
  }
  return h('div', { class: 'case-detail' }, ...parts);
}

/** The runner's diff marks expected lines "-" and printed lines "+" (server/src/runner/core/grade.ts). */
function diffLegend(): HTMLElement {
  return h(
    'p',
    { class: 'diff-legend' },
    h('span', { class: 'diff-del' }, '- expected'),
    h('span', { class: 'diff-add' }, '+ your output'),
    h('span', { class: 'diff-ctx' }, '  both'),
  );
}

/** Colour +/- lines of a unified-style diff, still as text nodes. */
function diffBlock(diff: string): HTMLElement {
  const pre = h('pre', { class: 'diff', tabindex: 0 });
  for (const line of diff.split('\n')) {
    const cls = line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : 'diff-ctx';
    pre.append(h('span', { class: cls }, line), '\n');
  }
  return pre;
}

/** Compiler messages and placed faults as a list; a click puts the editor on that line. */
function problemList(run: RunView, goto: (line: number, column: number) => void): HTMLElement | null {
  const items = runMarkers(run).filter((m) => m.severity !== 'info');
  if (items.length === 0) return null;
  return h(
    'ul',
    { class: 'problems' },
    ...items.map((m) => {
      const b = h(
        'button',
        { class: `problem problem-${m.severity}`, type: 'button', title: 'Show in the editor' },
        h('span', { class: 'problem-where' }, m.column ? `${m.line}:${m.column}` : `line ${m.line}`),
        h('span', {}, m.message),
      );
      b.addEventListener('click', () => goto(m.line, m.column ?? 1));
      return h('li', {}, b);
    }),
  );
}

export interface ResultsContext {
  role: Role;
  /** The room's session (the replay has none): says why a final grading ran and when runs were. */
  mode?: Mode;
  timer?: TimerView | null;
  participants: Participant[];
  you?: Participant;
  goto: (line: number, column: number) => void;
}

/** Which foldable parts (by data-fold) the reader opened or closed, to keep across a redraw. */
function foldStates(host: HTMLElement): Map<string, boolean> {
  const states = new Map<string, boolean>();
  for (const el of host.querySelectorAll<HTMLDetailsElement>('details[data-fold]')) states.set(el.dataset['fold']!, el.open);
  return states;
}

export function renderResults(host: HTMLElement, run: RunView | null, ctx: ResultsContext): void {
  const { role, participants, you } = ctx;
  if (!run) {
    delete host.dataset['run'];
    host.replaceChildren(h('p', { class: 'results-empty' }, 'Run the tests to see results here (Ctrl/Cmd + Enter).'));
    return;
  }
  // The same run drawn again (a timer or presence change): the reader's folds and scroll stay.
  const sameRun = host.dataset['run'] === String(run.id);
  const kept = sameRun ? foldStates(host) : new Map<string, boolean>();
  const scrollTop = sameRun ? host.scrollTop : 0;
  host.dataset['run'] = String(run.id);
  const s = summarizeRun(run, role);
  // requestedBy is the requester's display name (the server's choice); accept an id too.
  const byId = participants.find((p) => p.id === run.requestedBy);
  const name = byId?.name ?? run.requestedBy;
  const who = (byId ? byId.id === you?.id : name === you?.name) ? 'you' : name;
  const cause = ctx.timer ? finalCause(ctx.timer, ctx.mode ?? 'interview') : null;
  const started = ctx.timer?.startedAt ?? null;
  const when = started !== null && run.at >= started ? `${formatElapsed(run.at - started)} into the session` : formatClock(run.at);
  const byline =
    run.kind === 'final'
      ? `Final grading of every test, ${cause ? FINAL_CAUSE_TEXT[cause] : 'at the end'} (${when})`
      : `Run${run.number ? ` #${run.number}` : ''}${who ? ` by ${who}` : ''}, ${when}`;

  const rows = s.rows.map((row) => {
    const detail = caseDetail(row);
    const line = h(
      'div',
      { class: `case-row ${row.ok ? 'case-pass' : 'case-fail'}` },
      h('span', { class: 'case-icon', 'aria-hidden': 'true' }, row.ok ? '✓' : '✗'),
      h('span', { class: 'case-name' }, row.name),
      row.hidden ? h('span', { class: 'tag tag-hidden', title: 'Hidden test: its input is never shown' }, 'hidden') : h('span'),
      h('span', { class: 'case-status' }, row.statusLabel),
      h('span', { class: 'case-time' }, row.timeLabel),
    );
    if (!detail) return line;
    // Failing cases open by default so the diff is one glance away; so do cases that printed to stderr.
    const fold = `case:${row.name}`;
    return h('details', { class: 'case', 'data-fold': fold, open: kept.get(fold) ?? (!row.ok || row.stderr !== undefined) }, h('summary', {}, line), detail);
  });

  host.replaceChildren(
    ...nodes(
      h('div', { class: `results-head tone-${s.tone}` }, h('strong', { class: 'results-headline' }, s.headline), h('span', { class: 'results-by', title: byline }, byline)),
      s.hiddenNote ? h('p', { class: 'hidden-note' }, s.hiddenNote) : null,
      problemList(run, ctx.goto),
      rows.length > 0 ? h('div', { class: 'cases' }, ...rows) : null,
      s.compilerOutput.trim()
        ? h(
            'details',
            { class: 'compiler', 'data-fold': 'compiler', open: kept.get('compiler') ?? run.status === 'compile_error' },
            h('summary', {}, 'Compiler output'),
            h('pre', { tabindex: 0 }, s.compilerOutput),
          )
        : null,
    ),
  );
  host.scrollTop = scrollTop;
}
