// Two interviews of the board side by side: final code with the matching regions highlighted,
// their scorecards, and a line diff from one to the other.
import type { BoardComparison, BoardRow } from '../../../common/board.ts';
import { CRITERIA, CRITERION_LABEL } from '../../../common/review.ts';
import { diffView } from '../practice/diff-view.ts';
import '../practice/practice.css'; // the diff view's styles
import { h } from '../ui/dom.ts';

/** Final code with line numbers, the lines in a matching region marked. */
function codePane(title: string, source: string, ranges: { start: number; end: number }[]): HTMLElement {
  const lines = source.split('\n');
  const inMatch = (n: number) => ranges.some((r) => n >= r.start && n <= r.end);
  return h(
    'figure',
    { class: 'code-pane' },
    h('figcaption', {}, title),
    h(
      'pre',
      { class: 'code-lines', tabindex: 0, 'aria-label': `Final code of ${title}` },
      ...lines.map((text, i) => {
        const matched = inMatch(i + 1);
        return h(
          'div',
          { class: matched ? 'line match' : 'line' },
          h('span', { class: 'ln', 'aria-hidden': 'true' }, String(i + 1)),
          matched ? h('span', { class: 'sr-only' }, 'matching: ') : null,
          text || ' ',
        );
      }),
    ),
  );
}

function scorecard(row: BoardRow): HTMLElement {
  return h(
    'table',
    { class: 'scorecard-mini' },
    h('caption', {}, `Scorecard of ${row.candidate}`),
    h(
      'tbody',
      {},
      h('tr', {}, h('th', { scope: 'row' }, 'Overall'), h('td', {}, row.overall === null ? '—' : String(row.overall))),
      ...CRITERIA.map((c) => h('tr', {}, h('th', { scope: 'row' }, CRITERION_LABEL[c]), h('td', {}, row.criteria[c] === null ? '—' : String(row.criteria[c])))),
    ),
  );
}

export function compareView(c: BoardComparison): HTMLElement {
  const a = c.a.row;
  const b = c.b.row;
  return h(
    'section',
    { class: 'card compare', 'aria-label': `${a.candidate} and ${b.candidate} side by side` },
    h('h2', {}, `${a.candidate} and ${b.candidate}: ${Math.round(c.score * 100)}% of fingerprints shared`),
    h(
      'p',
      { class: 'notice' },
      'Highlighted lines match lines of the other submission (names, literals and layout ignored). This is context for a conversation with the candidates, not proof of copying.',
    ),
    h(
      'div',
      { class: 'compare-grid' },
      h(
        'div',
        {},
        scorecard(a),
        codePane(
          a.candidate,
          c.a.source,
          c.regions.map((r) => r.a),
        ),
      ),
      h(
        'div',
        {},
        scorecard(b),
        codePane(
          b.candidate,
          c.b.source,
          c.regions.map((r) => r.b),
        ),
      ),
    ),
    h('h3', {}, 'Line diff'),
    diffView(c.a.source, c.b.source, `Differences from ${a.candidate}'s final code to ${b.candidate}'s`),
  );
}
