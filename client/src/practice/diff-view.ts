// The code of this attempt beside the previous one, as a unified line diff (the `diff` package):
// changed lines with a few lines of context, long unchanged stretches folded into one row.
import { diffLines } from 'diff';
import { h } from '../ui/dom.ts';

/** Unchanged lines kept around each change. */
const CONTEXT = 3;

export interface DiffRow {
  kind: 'add' | 'del' | 'same' | 'fold';
  /** Line numbers in the old and the new text (null where the line is not in that text). */
  oldLine: number | null;
  newLine: number | null;
  text: string;
}

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines.at(-1) === '') lines.pop(); // a part ends with its last newline
  return lines;
}

/** The rows to show, with counts of added and removed lines. */
export function diffRows(before: string, after: string): { rows: DiffRow[]; added: number; removed: number } {
  const all: DiffRow[] = [];
  let oldLine = 1;
  let newLine = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before, after)) {
    for (const text of linesOf(part.value)) {
      if (part.added) {
        all.push({ kind: 'add', oldLine: null, newLine: newLine++, text });
        added++;
      } else if (part.removed) {
        all.push({ kind: 'del', oldLine: oldLine++, newLine: null, text });
        removed++;
      } else all.push({ kind: 'same', oldLine: oldLine++, newLine: newLine++, text });
    }
  }
  // Keep unchanged lines near a change; fold each longer unchanged stretch into one row.
  const near = all.map((_r, i) => all.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((r) => r.kind !== 'same'));
  const rows: DiffRow[] = [];
  let folded = 0;
  all.forEach((row, i) => {
    if (row.kind !== 'same' || near[i]) {
      if (folded > 0) rows.push({ kind: 'fold', oldLine: null, newLine: null, text: `${folded} unchanged line${folded === 1 ? '' : 's'}` });
      folded = 0;
      rows.push(row);
    } else folded++;
  });
  if (folded > 0) rows.push({ kind: 'fold', oldLine: null, newLine: null, text: `${folded} unchanged line${folded === 1 ? '' : 's'}` });
  return { rows, added, removed };
}

const MARK = { add: ['+', 'added'], del: ['−', 'removed'], same: ['', ''], fold: ['', ''] } as const;

export function diffView(before: string, after: string, caption: string): HTMLElement {
  const { rows, added, removed } = diffRows(before, after);
  if (added === 0 && removed === 0) return h('p', { class: 'muted' }, 'No changes: the code is the same as in that attempt.');
  const summary = h(
    'p',
    { class: 'diff-summary' },
    h('span', { class: 'diff-count-add' }, `${added} line${added === 1 ? '' : 's'} added`),
    ', ',
    h('span', { class: 'diff-count-del' }, `${removed} removed`),
  );
  const table = h(
    'table',
    { class: 'code-diff' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', { class: 'sr-only' }, h('tr', {}, ...['Line before', 'Line now', 'Change', 'Code'].map((t) => h('th', { scope: 'col' }, t)))),
    h(
      'tbody',
      {},
      ...rows.map((r) => {
        if (r.kind === 'fold') return h('tr', { class: 'row-fold' }, h('td', { colspan: 4 }, `⋯ ${r.text}`));
        const [mark, said] = MARK[r.kind];
        // row-*, not diff-*: those colour the dark results panel's diffs (styles.css).
        return h(
          'tr',
          { class: `row-${r.kind}` },
          h('td', { class: 'ln' }, r.oldLine === null ? '' : String(r.oldLine)),
          h('td', { class: 'ln' }, r.newLine === null ? '' : String(r.newLine)),
          h('td', { class: 'diff-mark' }, h('span', { 'aria-hidden': 'true' }, mark), said ? h('span', { class: 'sr-only' }, said) : null),
          h('td', { class: 'diff-text' }, r.text),
        );
      }),
    ),
  );
  return h('div', { class: 'diff-view' }, summary, table);
}
