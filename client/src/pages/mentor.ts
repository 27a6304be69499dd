// The interviewer's dashboard: create an interview, hand out links, find, end, archive or delete
// past ones (the list is in mentor-sessions.ts).
import { LIMITS } from '../../../common/protocol.ts';
import type { Me } from '../../../common/accounts.ts';
import { absoluteLink, api, ApiError, auth, mentorKey, takeKeyFromFragment, teamApi, whoAmI, type ExerciseSummary, type SessionSummary } from '../api.ts';
import { h, toast } from '../ui/dom.ts';
import { checkedText } from '../ui/text-field.ts';
import { createSessionList, reviewPath } from './mentor-sessions.ts';
import { shareSection } from './share.ts';

const NAME_KEY = 'ci.name';

export function renderMentor(app: HTMLElement): void {
  document.title = 'Interviews — C Interview';
  takeKeyFromFragment();
  const main = h('main', { class: 'dashboard' });
  const right = h('div', { class: 'topbar-right' });
  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('span', { class: 'room-title' }, 'Interviewer dashboard')),
        right,
      ),
      main,
    ),
  );
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const again = () => renderMentor(app);
  whoAmI().then(
    (me) => {
      if (!me) {
        if (mentorKey.get()) {
          toast('That sign-in key was not accepted.', 'error');
          mentorKey.clear();
        }
        return renderSignIn(main, again);
      }
      right.replaceChildren(...navLinks(me), signOutButton(me, again));
      void load(main, me, () => {
        mentorKey.clear();
        again();
      });
    },
    (err: Error) => main.replaceChildren(h('div', { class: 'card' }, h('h2', {}, 'Could not reach the server'), h('p', {}, err.message))),
  );
}

/** The pages this account may open (admins: the team and the audit log). */
export function navLinks(me: Me): HTMLElement[] {
  const link = (href: string, text: string) => h('a', { class: 'btn btn-ghost', href }, text);
  return [
    h('span', { class: 'muted small signed-in' }, me.via === 'key' ? 'Signed in with the mentor key' : `${me.name} (${me.role})`),
    link('/mentor/board', 'Compare candidates'),
    me.via !== 'key' ? link('/mentor/tokens', 'API tokens') : null,
    me.role === 'admin' ? link('/mentor/team', 'Team') : null,
    me.role === 'admin' ? link('/mentor/audit', 'Audit log') : null,
  ].filter((x): x is HTMLElement => x !== null);
}

function signOutButton(me: Me, done: () => void): HTMLElement {
  const signOut = h('button', { class: 'btn btn-ghost', type: 'button' }, 'Sign out');
  signOut.addEventListener('click', () => {
    if (me.via === 'key') {
      mentorKey.clear();
      return done();
    }
    auth.logout().then(done, (err: Error) => toast(`Could not sign out: ${err.message}`, 'error'));
  });
  return signOut;
}

function renderSignIn(main: HTMLElement, done: () => void): void {
  const email = h('input', { type: 'email', class: 'input', id: 'signin-email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', class: 'input', id: 'signin-password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const submit = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card narrow' },
    h('h2', {}, 'Sign in'),
    h('label', { class: 'field', for: 'signin-email' }, h('span', { class: 'field-label' }, 'Email')),
    email,
    h('label', { class: 'field', for: 'signin-password' }, h('span', { class: 'field-label' }, 'Password')),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    if (!email.value.trim() || !password.value) return void (error.textContent = 'Enter your email and password.');
    submit.disabled = true;
    auth.login(email.value.trim(), password.value).then(done, (err: Error) => {
      error.textContent = err.message;
      submit.disabled = false;
      password.select();
    });
  });
  main.replaceChildren(form, keyForm(done));
}

/** MENTOR_KEY still signs in (as an admin without an account), for existing deployments. */
function keyForm(done: () => void): HTMLElement {
  const input = h('input', { type: 'password', class: 'input', placeholder: 'Mentor key', autocomplete: 'off', 'aria-label': 'Mentor key' });
  const use = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Sign in with the key');
  use.addEventListener('click', () => {
    if (!input.value.trim()) return;
    mentorKey.set(input.value.trim());
    done();
  });
  return h('details', { class: 'card narrow key-signin' }, h('summary', {}, 'Sign in with the mentor key (MENTOR_KEY)'), input, use);
}

async function load(main: HTMLElement, me: Me, rejected: () => void): Promise<void> {
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let exercises: ExerciseSummary[];
  try {
    exercises = await api.exercises();
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
      toast('That sign-in key was not accepted.', 'error');
      return rejected();
    }
    main.replaceChildren(h('div', { class: 'card' }, h('h2', {}, 'Could not reach the server'), h('p', {}, String((err as Error).message))));
    return;
  }
  const ready = h('div', { class: 'ready-host' });
  let shown: string | null = null; // the session whose links the ready card shows
  const showReady = (s: SessionSummary, fresh: boolean): void => {
    shown = s.id;
    renderReady(ready, s, fresh, me);
    ready.scrollIntoView({ block: 'nearest' });
  };
  const list = createSessionList({
    showLinks: (s) => showReady(s, false),
    deleted: (id) => {
      if (shown === id) ready.replaceChildren();
    },
  });
  main.replaceChildren(
    h(
      'div',
      { class: 'dash-top' },
      createForm(exercises, (s) => {
        showReady(s, true);
        void list.refresh();
      }),
      h(
        'div',
        { class: 'dash-side' },
        ready,
        importCard(() => void list.refresh()),
      ),
    ),
    list.element,
    retentionNote(),
  );
  await list.refresh();
}

function createForm(exercises: ExerciseSummary[], created: (s: SessionSummary) => void): HTMLElement {
  const candidate = checkedText({
    label: 'The candidate name',
    max: LIMITS.candidateNameChars,
    attrs: { class: 'input', name: 'candidate', placeholder: 'e.g. Ada Lovelace', autocomplete: 'off' },
  });
  const yourName = checkedText({
    label: 'Your name',
    max: LIMITS.participantNameChars,
    optional: true,
    attrs: { class: 'input', name: 'you', placeholder: 'Interviewer', value: localStorage.getItem(NAME_KEY) ?? '' },
  });
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
  const formError = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const field = (label: string, control: HTMLElement, extra?: HTMLElement | null, hint?: string): HTMLElement =>
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control, extra ?? null, hint ? h('span', { class: 'field-hint' }, hint) : null);

  const form = h(
    'form',
    { class: 'card create', novalidate: true },
    h('h2', {}, 'New interview'),
    field('Candidate name', candidate.control, candidate.meta),
    field('Exercise', exercise),
    field('Minutes', minutes, null, `${LIMITS.minSessionMinutes} to ${LIMITS.maxSessionMinutes}.`),
    field('Your name', yourName.control, yourName.meta, 'Shown to the candidate next to your cursor.'),
    formError,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    formError.textContent = '';
    const you = yourName.take();
    const name = candidate.take();
    if (name === null || you === null) return;
    const m = Number(minutes.value);
    if (!Number.isInteger(m) || m < LIMITS.minSessionMinutes || m > LIMITS.maxSessionMinutes) {
      formError.textContent = `Minutes must be a whole number from ${LIMITS.minSessionMinutes} to ${LIMITS.maxSessionMinutes}.`;
      minutes.focus();
      return;
    }
    if (you) localStorage.setItem(NAME_KEY, you);
    else localStorage.removeItem(NAME_KEY);
    submit.disabled = true;
    api
      .createSession({ candidateName: name, exercise: exercise.value || undefined, minutes: m })
      .then((s) => {
        candidate.clear();
        created(s);
      })
      .catch((err: Error) => {
        // The server names the field: show its words under the form, not in a passing toast.
        if (/candidateName/.test(err.message)) candidate.showError(err.message.replace(/^.*candidateName: /, ''));
        else formError.textContent = `Could not create the interview: ${err.message}`;
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

/** What the retention setting does to ended interviews (set by an admin on the Team page). */
function retentionNote(): HTMLElement {
  const note = h('p', { class: 'muted small retention-note' });
  teamApi.get<{ days: number | null }>('/api/settings/retention').then(
    ({ days }) => {
      note.textContent =
        days === null ? 'Retention: ended interviews are kept until deleted.' : `Retention: ended interviews and practice attempts are deleted ${days} days after they end.`;
    },
    () => note.remove(),
  );
  return note;
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
  return h('div', { class: 'link-row' }, h('span', { class: 'link-label' }, label), box, copy, open ? h('a', { class: 'btn btn-primary', href: url }, 'Open room') : h('span'));
}

function renderReady(host: HTMLElement, s: SessionSummary, fresh: boolean, me: Me): void {
  const close = h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'aria-label': 'Close' }, 'Close');
  close.addEventListener('click', () => host.replaceChildren());
  host.replaceChildren(
    h(
      'div',
      { class: 'card ready', 'data-id': s.id },
      h('div', { class: 'ready-head' }, h('h2', {}, fresh ? `Interview with ${s.candidateName} is ready` : `Links: ${s.candidateName}, ${s.exercise.title}`), close),
      fresh ? h('p', { class: 'muted' }, 'Send the candidate their link. The timer starts only when you press Start in the room.') : null,
      linkRow('Interviewer', s.links.mentor, s.status !== 'ended'),
      linkRow('Candidate', s.links.candidate),
      linkRow('Observer', s.links.observer),
      linkRow('Review', s.links.review),
      h(
        'p',
        { class: 'muted small' },
        'Observers watch read-only. The review link opens the replay and the report once the interview has ended: share it with colleagues who were not there.',
      ),
      shareSection(s, me),
    ),
  );
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
      const s = await api.importSession(body, f.name);
      status.replaceChildren(`Imported: ${s.candidateName}, ${s.exercise.title}. `, h('a', { href: reviewPath(s) }, 'Open the replay'));
      imported();
    } catch (err) {
      status.textContent = `Not imported: ${err instanceof SyntaxError ? 'the file is not JSON.' : (err as Error).message}`;
    } finally {
      file.value = '';
    }
  });
  return h(
    'div',
    { class: 'card import' },
    h('h2', {}, 'Import a session'),
    h('p', { class: 'muted small' }, 'A session exported from a replay (JSON), to replay and report on it here.'),
    file,
    status,
  );
}
