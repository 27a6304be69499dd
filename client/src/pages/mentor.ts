// The interviewer's dashboard: create an interview, hand out links, reopen past ones.
import { LIMITS } from '../../../common/protocol.ts';
import { absoluteLink, api, ApiError, mentorKey, takeKeyFromFragment, type ExerciseSummary, type SessionSummary } from '../api.ts';
import { formatClock, h, toast } from '../ui/dom.ts';

const NAME_KEY = 'ci.name';
const STATUS_LABEL = { waiting: 'Not started', live: 'In progress', ended: 'Ended' } as const;

export function renderMentor(app: HTMLElement): void {
  document.title = 'Interviews — C Interview';
  takeKeyFromFragment();
  const main = h('main', { class: 'dashboard' });
  const signOut = h('button', { class: 'btn btn-ghost', type: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => {
    mentorKey.clear();
    renderMentor(app);
  });
  app.replaceChildren(
    h('div', { class: 'page' },
      h('header', { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('span', { class: 'room-title' }, 'Interviewer dashboard')),
        h('div', { class: 'topbar-right' }, mentorKey.get() ? signOut : null)),
      main),
  );
  if (!mentorKey.get()) return renderSignIn(main, () => renderMentor(app));
  void load(main, () => {
    mentorKey.clear();
    renderMentor(app);
  });
}

function renderSignIn(main: HTMLElement, done: () => void): void {
  const input = h('input', { type: 'password', class: 'input', placeholder: 'Mentor key', autocomplete: 'off', 'aria-label': 'Mentor key' });
  const form = h('form', { class: 'card narrow' },
    h('h2', {}, 'Sign in'),
    h('p', {}, 'Open the sign-in link printed by the server when it starts (it looks like /mentor#key=…), or paste the key here.'),
    input,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!input.value.trim()) return;
    mentorKey.set(input.value.trim());
    done();
  });
  main.replaceChildren(form);
}

async function load(main: HTMLElement, rejected: () => void): Promise<void> {
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let exercises: ExerciseSummary[];
  let sessions: SessionSummary[];
  try {
    [exercises, sessions] = await Promise.all([api.exercises(), api.sessions()]);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      toast('That sign-in key was not accepted.', 'error');
      return rejected();
    }
    main.replaceChildren(h('div', { class: 'card' }, h('h2', {}, 'Could not reach the server'), h('p', {}, String((err as Error).message))));
    return;
  }
  const list = h('div', { class: 'card' });
  const ready = h('div', { class: 'ready-host' });
  const refresh = async (): Promise<void> => {
    try {
      renderSessions(list, await api.sessions());
    } catch (err) {
      toast(`Could not refresh: ${(err as Error).message}`, 'error');
    }
  };
  main.replaceChildren(
    h('div', { class: 'dash-grid' },
      createForm(exercises, (s) => {
        renderReady(ready, s);
        void refresh();
      }),
      h('div', { class: 'dash-right' }, ready, list, importCard(() => void refresh()))),
  );
  renderSessions(list, sessions);
}

function createForm(exercises: ExerciseSummary[], created: (s: SessionSummary) => void): HTMLElement {
  const candidate = h('input', { class: 'input', name: 'candidate', required: true, maxlength: LIMITS.candidateNameChars, placeholder: 'e.g. Ada Lovelace', autocomplete: 'off' });
  const yourName = h('input', { class: 'input', name: 'you', maxlength: 80, placeholder: 'Interviewer', value: localStorage.getItem(NAME_KEY) ?? '' });
  const exercise = h('select', { class: 'input', name: 'exercise' });
  for (const e of exercises) {
    const option = h('option', { value: e.slug }, `${e.title} · ${e.difficulty} · ${e.minutes} min`);
    option.selected = e.isDefault;
    exercise.append(option);
  }
  const minutes = h('input', { class: 'input', name: 'minutes', type: 'number', min: LIMITS.minSessionMinutes, max: LIMITS.maxSessionMinutes, step: 1 });
  const syncMinutes = (): void => {
    minutes.value = String(exercises.find((e) => e.slug === exercise.value)?.minutes ?? 30);
  };
  exercise.addEventListener('change', syncMinutes);
  syncMinutes();
  const submit = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create interview');
  const field = (label: string, control: HTMLElement, hint?: string): HTMLElement =>
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, hint ? h('span', { class: 'field-hint' }, hint) : null);

  const form = h('form', { class: 'card create' },
    h('h2', {}, 'New interview'),
    field('Candidate name', candidate),
    field('Exercise', exercise),
    field('Minutes', minutes),
    field('Your name', yourName, 'Shown to the candidate next to your cursor.'),
    submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = candidate.value.trim();
    if (!name) return candidate.focus();
    if (yourName.value.trim()) localStorage.setItem(NAME_KEY, yourName.value.trim());
    submit.disabled = true;
    const m = Number(minutes.value);
    api
      .createSession({ candidateName: name, exercise: exercise.value || undefined, minutes: Number.isFinite(m) && m > 0 ? m : undefined })
      .then((s) => {
        candidate.value = '';
        created(s);
      })
      .catch((err: Error) => toast(`Could not create the interview: ${err.message}`, 'error'))
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** A link in a read-only box with a Copy button (clipboard API needs a secure context: fall back to select). */
function linkRow(label: string, link: string, open?: boolean): HTMLElement {
  const url = absoluteLink(link);
  const box = h('input', { class: 'input link-box', readonly: true, value: url, 'aria-label': label });
  const copy = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Copy');
  copy.addEventListener('click', () => {
    box.select();
    const done = (): void => {
      copy.textContent = 'Copied';
      setTimeout(() => (copy.textContent = 'Copy'), 1500);
    };
    if (navigator.clipboard && window.isSecureContext) void navigator.clipboard.writeText(url).then(done, () => document.execCommand('copy') && done());
    else if (document.execCommand('copy')) done();
  });
  return h('div', { class: 'link-row' },
    h('span', { class: 'link-label' }, label),
    box,
    copy,
    open ? h('a', { class: 'btn btn-primary', href: url }, 'Open room') : h('span'));
}

function renderReady(host: HTMLElement, s: SessionSummary): void {
  host.replaceChildren(
    h('div', { class: 'card ready' },
      h('h2', {}, `Interview with ${s.candidateName} is ready`),
      h('p', { class: 'muted' }, 'Send the candidate their link. The timer starts only when you press Start in the room.'),
      linkRow('Candidate', s.links.candidate),
      linkRow('You', s.links.mentor, true),
      linkRow('Observer', s.links.observer),
      linkRow('Review', s.links.review),
      h('p', { class: 'muted small' }, 'The review link opens the replay and the report once the interview has ended: share it with colleagues who were not there.')),
  );
}

/** The mentor's own link, on the review pages: replay and report with the scorecard. */
const reviewPath = (s: SessionSummary, report = false) => `${s.links.mentor.replace(/^\/s\//, '/r/')}${report ? '/report' : ''}`;

function copyButton(label: string, link: string): HTMLButtonElement {
  const b = h('button', { class: 'btn btn-ghost btn-small', type: 'button', title: `Copy the ${label.toLowerCase()}` }, label);
  b.addEventListener('click', () => {
    const url = absoluteLink(link);
    // The clipboard API needs a secure context (https or localhost); elsewhere show the link.
    if (navigator.clipboard && window.isSecureContext) {
      void navigator.clipboard.writeText(url).then(() => toast(`${label} copied`, 'ok'), () => window.prompt(`${label}:`, url));
    } else {
      window.prompt(`${label}:`, url);
    }
  });
  return b;
}

/** Import of a session export (from this or another server), to replay it here. */
function importCard(imported: () => void): HTMLElement {
  const file = h('input', { type: 'file', accept: 'application/json,.json', class: 'input', 'aria-label': 'Session export file' });
  const status = h('p', { class: 'muted small', 'aria-live': 'polite' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (!f) return;
    status.textContent = `Importing ${f.name}…`;
    try {
      const body: unknown = JSON.parse(await f.text());
      const s = await api.importSession(body);
      status.replaceChildren(`Imported: ${s.candidateName}, ${s.exercise.title}. `, h('a', { href: reviewPath(s) }, 'Open the replay'));
      imported();
    } catch (err) {
      status.textContent = `Not imported: ${err instanceof SyntaxError ? 'the file is not JSON.' : (err as Error).message}`;
    } finally {
      file.value = '';
    }
  });
  return h('div', { class: 'card import' }, h('h2', {}, 'Import a session'), h('p', { class: 'muted small' }, 'A session exported from a replay (JSON), to replay and report on it here.'), file, status);
}

function renderSessions(host: HTMLElement, sessions: SessionSummary[]): void {
  const sorted = [...sessions].sort((a, b) => b.createdAt - a.createdAt);
  if (sorted.length === 0) {
    host.replaceChildren(h('h2', {}, 'Interviews'), h('p', { class: 'muted' }, 'No interviews yet. Create one to get the links.'));
    return;
  }
  const rows = sorted.map((s) => {
    const created = s.createdAt;
    return h('tr', { class: 'session-row', 'data-id': s.id },
      h('td', {}, s.candidateName),
      h('td', {}, s.exercise.title),
      h('td', {}, h('span', { class: `status status-${s.status}` }, STATUS_LABEL[s.status] ?? s.status)),
      h('td', { class: 'muted' }, `${new Date(created).toLocaleDateString()} ${formatClock(created)}`),
      h('td', { class: 'actions' },
        h('a', { class: 'btn btn-secondary btn-small', href: absoluteLink(s.links.mentor) }, s.status === 'ended' ? 'Open' : 'Join'),
        s.status === 'ended' ? h('a', { class: 'btn btn-secondary btn-small', href: reviewPath(s) }, 'Replay') : null,
        s.status === 'ended' ? h('a', { class: 'btn btn-ghost btn-small', href: reviewPath(s, true) }, 'Report') : null,
        copyButton('Candidate link', s.links.candidate),
        copyButton('Review link', s.links.review)));
  });
  host.replaceChildren(
    h('h2', {}, 'Interviews'),
    h('table', { class: 'sessions' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Candidate'), h('th', {}, 'Exercise'), h('th', {}, 'Status'), h('th', {}, 'Created'), h('th', {}, ''))),
      h('tbody', {}, ...rows)),
  );
}
