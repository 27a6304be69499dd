// The dashboard's list of interviews: search by candidate, current/archived/all, and per row the
// room, replay, report, links, end, archive and delete (end and delete ask first).
import { RATING_LABEL } from '../../../common/review.ts';
import { absoluteLink, api, type SessionQuery, type SessionSummary } from '../api.ts';
import { confirmDialog } from '../ui/confirm.ts';
import { formatClock, h, toast } from '../ui/dom.ts';

const STATUS_LABEL = { waiting: 'Not started', live: 'In progress', ended: 'Ended' } as const;

/** The mentor's own link, on the review pages: replay and report with the scorecard. */
export const reviewPath = (s: SessionSummary, report = false) => `${s.links.mentor.replace(/^\/s\//, '/r/')}${report ? '/report' : ''}`;

export interface SessionListHooks {
  /** Shows the four links of a session (the ready card). */
  showLinks(s: SessionSummary): void;
  /** A session was deleted (hide anything still showing it). */
  deleted(id: string): void;
}

export interface SessionList {
  element: HTMLElement;
  refresh(): Promise<void>;
}

const when = (ms: number) => new Date(ms).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** A second line under the name that tells apart interviews with the same candidate name. */
function detail(s: SessionSummary): string {
  const parts = [`#${s.id.slice(0, 6)}`, `${Math.round(s.durationMs / 60_000)} min`];
  if (s.endedAt !== null) parts.push(`ended ${formatClock(s.endedAt)}`);
  else if (s.startedAt !== null) parts.push(`started ${formatClock(s.startedAt)}`);
  return parts.join(' · ');
}

/** An ended interview's outcome: the final grading by visible and hidden cases, and the scorecard. */
function outcome(s: SessionSummary): HTMLElement {
  if (s.status !== 'ended') return h('span', { class: 'muted' }, '—');
  const score = s.score;
  const graded = !score
    ? h('div', { class: 'muted' }, 'Not graded')
    : score.status !== 'ok'
      ? h('div', { class: 'score score-none' }, score.status === 'compile_error' ? 'Did not compile' : 'Not run')
      : h(
          'div',
          { class: `score${score.visiblePassed + score.hiddenPassed === score.visibleTotal + score.hiddenTotal ? ' score-all' : ''}` },
          h('span', { title: 'Visible tests passed in the final grading' }, `${score.visiblePassed}/${score.visibleTotal} visible`),
          h('span', { title: 'Hidden tests passed in the final grading' }, `${score.hiddenPassed}/${score.hiddenTotal} hidden`),
        );
  const card =
    s.scorecardOverall !== null
      ? h('div', { class: 'small', title: 'The scorecard’s overall rating' }, `Scorecard ${RATING_LABEL[s.scorecardOverall] ?? s.scorecardOverall}`)
      : h('div', { class: 'small muted' }, 'No scorecard yet');
  return h('div', { class: 'outcome' }, graded, card);
}

/** "Imported 5 Mar 14:02 from https://old.example": where and when an imported interview came from. */
function importedBadge(s: SessionSummary): HTMLElement | null {
  if (!s.imported) return null;
  const { importedAt, source, exportedAt } = s.imported;
  return h('span', { class: 'import-badge', title: `Exported ${when(exportedAt)}, imported ${when(importedAt)} from ${source}` }, `Imported ${when(importedAt)} from ${source}`);
}

export function createSessionList(hooks: SessionListHooks): SessionList {
  const query: SessionQuery = { archived: 'false', candidate: '' };
  const search = h('input', { class: 'input search', type: 'search', placeholder: 'Search by candidate', 'aria-label': 'Search by candidate', maxlength: 80, autocomplete: 'off' });
  const which = h(
    'select',
    { class: 'input which', 'aria-label': 'Which interviews' },
    h('option', { value: 'false' }, 'Current'),
    h('option', { value: 'true' }, 'Archived'),
    h('option', { value: 'all' }, 'All'),
  );
  const body = h('div', { class: 'sessions-body' });
  // Interviews picked for the comparison board (one exercise: the board compares like with like).
  const chosen = new Map<string, SessionSummary>();
  const toBoard = h('button', { class: 'btn btn-secondary btn-small to-board', type: 'button', disabled: true }, 'Compare the picked');
  const pickHint = h('span', { class: 'muted small pick-hint', 'aria-live': 'polite' });
  const updatePicks = (): void => {
    const slugs = new Set([...chosen.values()].map((s) => s.exercise.slug));
    toBoard.disabled = chosen.size === 0 || slugs.size !== 1;
    toBoard.textContent = chosen.size === 0 ? 'Compare the picked' : `Compare the ${chosen.size} picked`;
    pickHint.textContent = slugs.size > 1 ? 'Pick interviews of one exercise to compare them.' : '';
  };
  toBoard.addEventListener('click', () => {
    const picks = [...chosen.values()];
    if (picks.length === 0) return;
    location.assign(`/mentor/board?exercise=${encodeURIComponent(picks[0]!.exercise.slug)}&sessions=${picks.map((s) => s.id).join(',')}`);
  });
  const element = h(
    'section',
    { class: 'card sessions-card' },
    h('div', { class: 'sessions-head' }, h('h2', {}, 'Interviews'), h('div', { class: 'sessions-filters' }, search, which, toBoard, pickHint)),
    body,
  );

  let latest = 0; // answers to older searches that arrive late are dropped
  const refresh = async (): Promise<void> => {
    const mine = ++latest;
    try {
      const sessions = await api.sessions(query);
      if (mine === latest) render(sessions);
    } catch (err) {
      if (mine === latest) toast(`Could not load the interviews: ${(err as Error).message}`, 'error');
    }
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      query.candidate = search.value;
      void refresh();
    }, 200);
  });
  which.addEventListener('change', () => {
    query.archived = which.value as SessionQuery['archived'];
    void refresh();
  });

  const act = async (what: string, run: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await run();
      toast(done, 'ok');
    } catch (err) {
      toast(`Could not ${what}: ${(err as Error).message}`, 'error');
    }
    await refresh();
  };

  const endSession = async (s: SessionSummary): Promise<void> => {
    const yes = await confirmDialog({
      title: `End the interview with ${s.candidateName}?`,
      body: `${s.exercise.title}, ${detail(s)}. The editor locks for everyone and the final code is graded, as with End now in the room.`,
      confirm: 'End interview',
      danger: true,
    });
    if (yes) await act('end the interview', () => api.endSession(s.id), `Ended the interview with ${s.candidateName}; grading the final code.`);
  };
  const deleteSession = async (s: SessionSummary): Promise<void> => {
    const yes = await confirmDialog({
      title: `Delete the interview with ${s.candidateName}?`,
      body: `${s.exercise.title}, created ${when(s.createdAt)} (${detail(s)}). Its code history, runs, notes, scorecard and all four links are removed${s.status === 'live' ? ', and everyone in the room is disconnected' : ''}. This cannot be undone.`,
      confirm: 'Delete interview',
      danger: true,
    });
    if (!yes) return;
    await act('delete the interview', () => api.deleteSession(s.id), `Deleted the interview with ${s.candidateName}.`);
    hooks.deleted(s.id);
  };
  const archive = (s: SessionSummary, archived: boolean) =>
    act(
      archived ? 'archive the interview' : 'restore the interview',
      () => api.archiveSession(s.id, archived),
      archived ? `Archived the interview with ${s.candidateName} (see "Archived").` : `Restored the interview with ${s.candidateName}.`,
    );

  const button = (label: string, cls: string, onClick: () => void, title?: string): HTMLButtonElement => {
    const b = h('button', { class: `btn btn-small ${cls}`, type: 'button', ...(title ? { title } : {}) }, label);
    b.addEventListener('click', onClick);
    return b;
  };

  const row = (s: SessionSummary): HTMLElement => {
    const ended = s.status === 'ended';
    const actions = h(
      'div',
      { class: 'actions' },
      ended
        ? h('a', { class: 'btn btn-secondary btn-small', href: reviewPath(s) }, 'Replay')
        : h('a', { class: 'btn btn-secondary btn-small join', href: absoluteLink(s.links.mentor) }, 'Join'),
      ended ? h('a', { class: 'btn btn-ghost btn-small', href: reviewPath(s, true) }, 'Report') : null,
      button('Links', 'btn-ghost show-links', () => hooks.showLinks(s), 'Show and copy the four links'),
      ended ? null : button('End', 'btn-ghost end-session', () => void endSession(s), 'End the interview now and grade the final code'),
      s.status === 'live'
        ? null
        : s.archivedAt === null
          ? button('Archive', 'btn-ghost archive-session', () => void archive(s, true), 'Hide it from the current list')
          : button('Restore', 'btn-ghost unarchive-session', () => void archive(s, false), 'Show it in the current list again'),
      button('Delete', 'btn-danger delete-session', () => void deleteSession(s), 'Delete the interview and everything recorded in it'),
    );
    const pick = h('input', {
      type: 'checkbox',
      class: 'pick',
      'aria-label': `Pick ${s.candidateName} (#${s.id.slice(0, 6)}) for the comparison board`,
      checked: chosen.has(s.id),
    });
    pick.addEventListener('change', () => {
      if (pick.checked) chosen.set(s.id, s);
      else chosen.delete(s.id);
      updatePicks();
    });
    return h(
      'tr',
      { class: 'session-row', 'data-id': s.id },
      h('td', { class: 'cell-pick' }, pick),
      h(
        'td',
        { class: 'cell-candidate' },
        h('div', { class: 'candidate-name' }, s.candidateName),
        h('div', { class: 'candidate-detail muted small' }, detail(s)),
        importedBadge(s),
      ),
      h('td', { class: 'cell-exercise' }, s.exercise.title),
      h(
        'td',
        { class: 'cell-status' },
        h('span', { class: `status status-${s.status}` }, STATUS_LABEL[s.status] ?? s.status),
        s.archivedAt !== null ? h('span', { class: 'status status-archived' }, 'Archived') : null,
      ),
      h('td', { class: 'cell-outcome' }, outcome(s)),
      h('td', { class: 'cell-created muted' }, when(s.createdAt)),
      h('td', { class: 'cell-actions' }, actions),
    );
  };

  const render = (sessions: SessionSummary[]): void => {
    if (sessions.length === 0) {
      const searching = (query.candidate ?? '').trim() !== '';
      const text = searching
        ? `No interview with a candidate matching "${query.candidate!.trim()}".`
        : query.archived === 'true'
          ? 'No archived interviews.'
          : 'No interviews yet. Create one to get the links.';
      body.replaceChildren(h('p', { class: 'muted empty' }, text));
      return;
    }
    body.replaceChildren(
      h(
        'table',
        { class: 'sessions' },
        h(
          'colgroup',
          {},
          h('col', { class: 'c-pick' }),
          h('col', { class: 'c-candidate' }),
          h('col', { class: 'c-exercise' }),
          h('col', { class: 'c-status' }),
          h('col', { class: 'c-outcome' }),
          h('col', { class: 'c-created' }),
          h('col', { class: 'c-actions' }),
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, h('span', { class: 'sr-only' }, 'Pick')),
            h('th', {}, 'Candidate'),
            h('th', {}, 'Exercise'),
            h('th', {}, 'Status'),
            h('th', {}, 'Result'),
            h('th', {}, 'Created'),
            h('th', { class: 'th-actions' }, 'Actions'),
          ),
        ),
        h('tbody', {}, ...sessions.map(row)),
      ),
    );
  };

  return { element, refresh };
}
