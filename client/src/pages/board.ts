// The comparison board (/mentor/board): every interview of one exercise in a sortable table,
// filtered by date, status and interviewer, CSV export, the pairs whose final code is similar, and two interviews side by
// side (final code with matching regions highlighted, a line diff, scorecards). Sorting and
// filtering happen on the server, so that the CSV holds exactly the rows shown.
import { BOARD_COLUMNS, cell, type BoardColumn, type BoardComparison, type BoardData, type BoardRow, type BoardStatus } from '../../../common/board.ts';
import { api, ApiError, mentorAuth, requestJson, type ExerciseSummary } from '../api.ts';
import { CRITERION_LABEL } from '../../../common/review.ts';
import { compareView } from './board-compare.ts';
import { h, toast } from '../ui/dom.ts';

const LABEL: Record<BoardColumn, string> = {
  candidate: 'Candidate',
  date: 'Date',
  interviewers: 'Interviewer',
  status: 'Status',
  visiblePassed: 'Visible passed',
  visibleTotal: 'Visible cases',
  hiddenPassed: 'Hidden passed',
  hiddenTotal: 'Hidden cases',
  firstVisiblePassMs: 'First visible pass',
  timeUsedMs: 'Time used',
  runs: 'Runs',
  compileErrors: 'Compile errors',
  faults: 'Faults hit',
  pastes: 'Pastes',
  flaggedPastes: 'Large pastes',
  focusLost: 'Left the page',
  awayMs: 'Time away',
  overall: 'Overall',
  correctness: CRITERION_LABEL.correctness,
  fluency: CRITERION_LABEL.fluency,
  debugging: CRITERION_LABEL.debugging,
  communication: CRITERION_LABEL.communication,
};
// Columns folded into another one on screen (all are in the CSV).
const HIDDEN_ON_SCREEN = new Set<BoardColumn>(['visibleTotal', 'hiddenTotal', 'flaggedPastes']);

interface Filters {
  exercise: string;
  sort: BoardColumn;
  order: 'asc' | 'desc';
  from: string;
  to: string;
  status: BoardStatus | 'all';
  /** '' for any interviewer. */
  interviewer: string;
  /** Ids picked on the dashboard ('' for every interview of the exercise). */
  sessions: string;
}

const STATUS_LABEL: Record<BoardStatus, string> = { waiting: 'Not started', live: 'In progress', ended: 'Ended', archived: 'Archived' };

function query(f: Filters, csv = false): string {
  const p = new URLSearchParams({ exercise: f.exercise, sort: f.sort, order: f.order, status: f.status });
  if (f.interviewer) p.set('interviewer', f.interviewer);
  if (f.sessions) p.set('sessions', f.sessions);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (csv) p.set('format', 'csv');
  return p.toString();
}

const minutes = (ms: number | null) => (ms === null ? '—' : `${Math.round(ms / 60_000)} min`);

function shown(row: BoardRow, c: BoardColumn): string {
  switch (c) {
    case 'date':
      return new Date(row.date).toLocaleDateString();
    case 'status':
      return STATUS_LABEL[row.status];
    case 'visiblePassed':
      return row.visiblePassed === null ? '—' : `${row.visiblePassed}/${row.visibleTotal}`;
    case 'hiddenPassed':
      return row.hiddenPassed === null ? '—' : `${row.hiddenPassed}/${row.hiddenTotal}`;
    case 'pastes':
      return row.flaggedPastes > 0 ? `${row.pastes} (${row.flaggedPastes} large)` : String(row.pastes);
    case 'firstVisiblePassMs':
    case 'timeUsedMs':
    case 'awayMs':
      return minutes(row[c]);
    default: {
      const v = cell(row, c);
      return v === null || v === '' ? '—' : String(v);
    }
  }
}

export function renderBoard(app: HTMLElement): void {
  document.title = 'Compare candidates — C Interview';
  const main = h('main', { class: 'dashboard board' });
  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('span', { class: 'room-title' }, 'Compare candidates')),
        h('div', { class: 'topbar-right' }, h('a', { class: 'btn btn-ghost', href: '/mentor' }, 'Back to the dashboard')),
      ),
      main,
    ),
  );
  void api.exercises().then(
    (list) => start(main, list),
    (err: Error) =>
      main.replaceChildren(
        err instanceof ApiError && err.status === 401
          ? h('div', { class: 'card narrow' }, h('h2', {}, 'Sign in first'), h('p', {}, h('a', { href: '/mentor' }, 'Sign in on the dashboard'), ', then come back.'))
          : h('div', { class: 'card' }, h('h2', {}, 'Could not load the exercises'), h('p', {}, err.message)),
      ),
  );
}

function start(main: HTMLElement, exercises: ExerciseSummary[]): void {
  const params = new URLSearchParams(location.search);
  const wanted = params.get('exercise');
  const f: Filters = {
    exercise: exercises.find((e) => e.slug === wanted)?.slug ?? exercises.find((e) => e.isDefault)?.slug ?? exercises[0]?.slug ?? '',
    sort: 'date',
    order: 'desc',
    from: '',
    to: '',
    status: 'all',
    interviewer: '',
    sessions: wanted !== null && /^[A-Za-z0-9_,-]+$/.test(params.get('sessions') ?? '') ? params.get('sessions')! : '',
  };
  const exercise = h('select', { class: 'input', 'aria-label': 'Exercise' }, ...exercises.map((e) => h('option', { value: e.slug, selected: e.slug === f.exercise }, e.title)));
  const from = h('input', { class: 'input', type: 'date', 'aria-label': 'From date' });
  const to = h('input', { class: 'input', type: 'date', 'aria-label': 'To date' });
  const status = h(
    'select',
    { class: 'input', 'aria-label': 'Status' },
    h('option', { value: 'all' }, 'Any status'),
    ...Object.entries(STATUS_LABEL).map(([value, label]) => h('option', { value }, label)),
  );
  const interviewer = h('select', { class: 'input', 'aria-label': 'Interviewer' }, h('option', { value: '' }, 'Any interviewer'));
  const csv = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Export CSV');
  const compareButton = h('button', { class: 'btn btn-primary', type: 'button', disabled: true }, 'Compare the two selected');
  const tableHost = h('div', { class: 'board-table', 'aria-live': 'polite' });
  const pairsHost = h('div', { class: 'board-pairs' });
  const compareHost = h('div', { class: 'board-compare' });
  const picked: string[] = [];
  // Interviews picked on the dashboard: say so, and offer the whole exercise.
  const pickedNote = h('p', { class: 'notice picked-note' });
  const showAll = h('button', { class: 'btn btn-ghost btn-small', type: 'button' }, 'Show every interview of the exercise');
  showAll.addEventListener('click', () => {
    f.sessions = '';
    void refresh();
  });

  const refresh = async (): Promise<void> => {
    history.replaceState(null, '', `/mentor/board?exercise=${encodeURIComponent(f.exercise)}${f.sessions ? `&sessions=${f.sessions}` : ''}`);
    const count = f.sessions ? f.sessions.split(',').length : 0;
    pickedNote.hidden = count === 0;
    pickedNote.replaceChildren(`Showing the ${count} interview${count === 1 ? '' : 's'} picked on the dashboard. `, showAll);
    let data: BoardData;
    try {
      data = await requestJson<BoardData>('GET', `/api/board?${query(f)}`, undefined, mentorAuth());
    } catch (err) {
      tableHost.replaceChildren(h('p', { class: 'form-error' }, `Could not load the board: ${(err as Error).message}`));
      return;
    }
    picked.splice(0, picked.length, ...picked.filter((id) => data.rows.some((r) => r.sessionId === id && r.ended)));
    compareButton.disabled = picked.length !== 2;
    renderInterviewers(data);
    renderTable(data);
    renderPairs(data);
  };

  const sortBy = (c: BoardColumn): void => {
    f.order = f.sort === c && f.order === 'asc' ? 'desc' : 'asc';
    f.sort = c;
    void refresh();
  };

  // The choices are the exercise's interviewers, whatever the filters; the one chosen stays.
  const renderInterviewers = (data: BoardData): void => {
    const names = f.interviewer && !data.interviewers.includes(f.interviewer) ? [...data.interviewers, f.interviewer] : data.interviewers;
    interviewer.replaceChildren(h('option', { value: '' }, 'Any interviewer'), ...names.map((n) => h('option', { value: n, selected: n === f.interviewer }, n)));
  };

  const renderTable = (data: BoardData): void => {
    if (data.rows.length === 0) return void tableHost.replaceChildren(h('p', { class: 'muted empty' }, 'No interview of this exercise matches.'));
    const columns = BOARD_COLUMNS.filter((c) => !HIDDEN_ON_SCREEN.has(c));
    const head = columns.map((c) => {
      const sorted = f.sort === c;
      const button = h(
        'button',
        { class: 'th-sort', type: 'button', 'aria-label': `Sort by ${LABEL[c]}${sorted ? (f.order === 'asc' ? ', sorted ascending' : ', sorted descending') : ''}` },
        LABEL[c],
        sorted ? (f.order === 'asc' ? ' ▲' : ' ▼') : '',
      );
      button.addEventListener('click', () => sortBy(c));
      return h('th', { scope: 'col', 'aria-sort': sorted ? (f.order === 'asc' ? 'ascending' : 'descending') : 'none' }, button);
    });
    const body = data.rows.map((row) => {
      // Only ended interviews have final code to compare.
      const box = h('input', {
        type: 'checkbox',
        'aria-label': `Select ${row.candidate} to compare`,
        checked: picked.includes(row.sessionId),
        disabled: !row.ended,
        title: row.ended ? undefined : 'Only ended interviews have final code to compare',
      });
      box.addEventListener('change', () => {
        const i = picked.indexOf(row.sessionId);
        if (box.checked && i < 0) picked.push(row.sessionId);
        if (!box.checked && i >= 0) picked.splice(i, 1);
        // Two at most: the oldest pick makes way.
        while (picked.length > 2) picked.shift();
        for (const other of tableHost.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) other.checked = picked.includes(other.dataset['id'] ?? '');
        compareButton.disabled = picked.length !== 2;
      });
      box.dataset['id'] = row.sessionId;
      return h(
        'tr',
        { 'data-id': row.sessionId },
        h('td', {}, box),
        ...columns.map((c) => (c === 'candidate' ? h('th', { scope: 'row' }, row.candidate) : h('td', {}, shown(row, c)))),
      );
    });
    tableHost.replaceChildren(
      h(
        'table',
        { class: 'sessions board-rows' },
        h('caption', { class: 'sr-only' }, `Interviews of ${data.exercise.title}`),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Compare')), ...head)),
        h('tbody', {}, ...body),
      ),
    );
  };

  const renderPairs = (data: BoardData): void => {
    const name = (id: string) => data.rows.find((r) => r.sessionId === id)?.candidate ?? id;
    pairsHost.replaceChildren(
      h('h2', {}, 'Similar final code'),
      h(
        'p',
        { class: 'notice' },
        `Pairs whose final code shares at least ${Math.round(data.threshold * 100)}% of its fingerprints (the starter's left out). Similarity is context for a conversation, not proof: short exercises and common idioms make honest solutions alike.`,
      ),
      data.similar.length === 0
        ? h('p', { class: 'muted' }, 'No pair is above the threshold.')
        : h(
            'ul',
            { class: 'pair-list' },
            ...data.similar.map((p) => {
              const open = h('button', { class: 'btn btn-secondary btn-small', type: 'button', 'aria-label': `Compare ${name(p.a)} and ${name(p.b)}` }, 'Compare');
              open.addEventListener('click', () => void showCompare(p.a, p.b));
              return h('li', {}, `${name(p.a)} and ${name(p.b)}: ${Math.round(p.score * 100)}% `, open);
            }),
          ),
    );
  };

  const showCompare = async (a: string, b: string): Promise<void> => {
    compareHost.replaceChildren(h('p', { class: 'muted' }, 'Loading the comparison…'));
    try {
      const c = await requestJson<BoardComparison>('GET', `/api/board/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`, undefined, mentorAuth());
      compareHost.replaceChildren(compareView(c));
      compareHost.scrollIntoView({ block: 'start' });
    } catch (err) {
      compareHost.replaceChildren(h('p', { class: 'form-error' }, `Could not compare: ${(err as Error).message}`));
    }
  };

  exercise.addEventListener('change', () => {
    f.exercise = exercise.value;
    f.interviewer = '';
    f.sessions = '';
    picked.length = 0;
    compareHost.replaceChildren();
    void refresh();
  });
  for (const [input, key] of [
    [from, 'from'],
    [to, 'to'],
  ] as const) {
    input.addEventListener('change', () => {
      f[key] = input.value;
      void refresh();
    });
  }
  status.addEventListener('change', () => {
    f.status = status.value as Filters['status'];
    void refresh();
  });
  interviewer.addEventListener('change', () => {
    f.interviewer = interviewer.value;
    void refresh();
  });
  compareButton.addEventListener('click', () => void showCompare(picked[0]!, picked[1]!));
  csv.addEventListener('click', () => void downloadCsv(f));

  main.replaceChildren(
    h(
      'section',
      { class: 'card sessions-card' },
      h(
        'div',
        { class: 'sessions-head' },
        h('h2', {}, 'Interviews'),
        h(
          'div',
          { class: 'sessions-filters board-filters' },
          exercise,
          h('label', { class: 'inline' }, 'From ', from),
          h('label', { class: 'inline' }, 'To ', to),
          status,
          interviewer,
          csv,
          compareButton,
        ),
      ),
      pickedNote,
      tableHost,
    ),
    h('section', { class: 'card' }, pairsHost),
    compareHost,
  );
  void refresh();
}

async function downloadCsv(f: Filters): Promise<void> {
  try {
    const res = await fetch(`/api/board?${query(f, true)}`, { headers: mentorAuth() ? { Authorization: `Bearer ${mentorAuth()}` } : {}, credentials: 'same-origin' });
    if (!res.ok) throw new ApiError(res.status, `http_${res.status}`, res.statusText || 'Request failed');
    const url = URL.createObjectURL(new Blob([await res.text()], { type: 'text/csv' }));
    const a = h('a', { href: url, download: `board-${f.exercise}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    toast(`Could not export: ${(err as Error).message}`, 'error');
  }
}
