// Account pages: accepting an invite (/mentor/join#invite=...), the team (admins: invite,
// disable), API tokens (shown once, revocable) and the audit log (admins, with filters).
import { AUDIT_ACTIONS, AUDIT_PAGE, type AccountView, type ApiTokenView, type AuditView, type InviteView, type Me } from '../../../common/accounts.ts';
import { ApiError, auth, teamApi, whoAmI } from '../api.ts';
import { h, toast } from '../ui/dom.ts';
import { navLinks } from './mentor.ts';

const when = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString());

function page(app: HTMLElement, title: string, me: Me | null): HTMLElement {
  document.title = `${title} — C Interview`;
  const main = h('main', { class: 'dashboard' });
  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview'),
        h('div', { class: 'topbar-info' }, h('h1', { class: 'room-title' }, title)),
        h('div', { class: 'topbar-right' }, ...(me ? navLinks(me) : []), h('a', { class: 'btn btn-ghost', href: '/mentor' }, 'Dashboard')),
      ),
      main,
    ),
  );
  return main;
}

/** A labelled text input: the label names it for assistive technology and for tests. */
function field(id: string, label: string, attrs: Record<string, string | boolean>): { row: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { class: 'input', id, ...attrs });
  return { row: h('div', { class: 'field' }, h('label', { for: id, class: 'field-label' }, label), input), input };
}

export function renderJoin(app: HTMLElement): void {
  const invite = new URLSearchParams(location.hash.slice(1)).get('invite') ?? '';
  const main = page(app, 'Create your account', null);
  const name = field('join-name', 'Name', { autocomplete: 'name', required: true, maxlength: '80' });
  const email = field('join-email', 'Email', { type: 'email', autocomplete: 'username', required: true });
  const password = field('join-password', 'Password', { type: 'password', autocomplete: 'new-password', required: true, minlength: '10' });
  const error = h('p', { class: 'form-error', 'aria-live': 'polite' });
  const submit = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create account');
  const form = h(
    'form',
    { class: 'card narrow' },
    h('h2', {}, 'Create your account'),
    h('p', { class: 'muted small' }, 'This invite link works once. The password needs at least 10 characters.'),
    name.row,
    email.row,
    password.row,
    error,
    submit,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    auth.accept(invite, name.input.value.trim(), email.input.value.trim(), password.input.value).then(
      () => {
        history.replaceState(null, '', '/mentor'); // the used invite leaves the address bar
        location.assign('/mentor');
      },
      (err: Error) => {
        error.textContent = err.message;
        submit.disabled = false;
      },
    );
  });
  main.replaceChildren(invite ? form : h('div', { class: 'card narrow' }, h('h2', {}, 'No invite'), h('p', {}, 'Open the invite link you were sent.')));
}

/** Signed in (and an admin when `admin`), or a card saying so. */
async function signedIn(app: HTMLElement, title: string, admin: boolean): Promise<{ me: Me; main: HTMLElement } | null> {
  const me = await whoAmI().catch(() => null);
  const main = page(app, title, me);
  if (!me || (admin && me.role !== 'admin')) {
    main.replaceChildren(h('div', { class: 'card narrow' }, h('h2', {}, me ? 'Admins only' : 'Sign in first'), h('p', {}, h('a', { href: '/mentor' }, 'Back to the dashboard'))));
    return null;
  }
  return { me, main };
}

export async function renderTeam(app: HTMLElement): Promise<void> {
  const ok = await signedIn(app, 'Team', true);
  if (!ok) return;
  const { me, main } = ok;
  const table = h('tbody');
  const invites = h('ul', { 'aria-label': 'Invites' });
  const refresh = async (): Promise<void> => {
    const [accounts, pending] = await Promise.all([teamApi.get<AccountView[]>('/api/accounts'), teamApi.get<InviteView[]>('/api/invites')]);
    table.replaceChildren(
      ...accounts.map((a) => {
        const toggle = h(
          'button',
          { class: 'btn btn-secondary btn-small', type: 'button', 'aria-label': `${a.disabledAt ? 'Enable' : 'Disable'} ${a.name}` },
          a.disabledAt ? 'Enable' : 'Disable',
        );
        toggle.disabled = a.id === me.id;
        toggle.addEventListener('click', () => {
          teamApi.post(`/api/accounts/${encodeURIComponent(a.id)}`, { disabled: a.disabledAt === null }).then(refresh, (err: Error) => toast(err.message, 'error'));
        });
        return h(
          'tr',
          {},
          h('td', {}, a.name),
          h('td', {}, a.email),
          h('td', {}, a.role),
          h('td', {}, a.disabledAt ? `disabled ${when(a.disabledAt)}` : 'active'),
          h('td', {}, toggle),
        );
      }),
    );
    invites.replaceChildren(
      ...pending.map((i) => h('li', {}, `${i.role} invite, ${i.usedAt ? `used ${when(i.usedAt)}` : i.expiresAt < Date.now() ? 'expired' : `valid until ${when(i.expiresAt)}`}`)),
    );
  };
  const role = h('select', { class: 'input', id: 'invite-role' }, h('option', { value: 'mentor' }, 'Mentor'), h('option', { value: 'admin' }, 'Admin'));
  const create = h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create invite link');
  const made = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'card' }, h('h2', {}, 'Invite someone'), h('label', { for: 'invite-role', class: 'field-label' }, 'Role'), role, create, made);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    teamApi.post<{ link: string; expiresAt: number }>('/api/invites', { role: role.value }).then(
      (r) => {
        const url = new URL(r.link, location.origin).href;
        made.replaceChildren(
          h('p', { class: 'small' }, `Single use, valid until ${when(r.expiresAt)}. Send it to the person you invite:`),
          h('input', { class: 'input link-box', readonly: true, value: url, 'aria-label': 'Invite link' }),
        );
        void refresh();
      },
      (err: Error) => toast(err.message, 'error'),
    );
  });
  main.replaceChildren(
    form,
    await retentionForm(),
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Accounts'),
      h('table', { class: 'sessions' }, h('thead', {}, h('tr', {}, ...['Name', 'Email', 'Role', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))), table),
    ),
    h('div', { class: 'card' }, h('h2', {}, 'Invites'), invites),
  );
  await refresh();
}

/** The retention setting: days after which ended sessions are deleted; empty: never. */
async function retentionForm(): Promise<HTMLElement> {
  const { days } = await teamApi.get<{ days: number | null }>('/api/settings/retention');
  const input = field('retention-days', 'Delete ended interviews and practice attempts after (days; empty: never)', {
    type: 'number',
    min: '1',
    max: '3650',
    step: '1',
    value: days === null ? '' : String(days),
  });
  const form = h('form', { class: 'card' }, h('h2', {}, 'Retention'), input.row, h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Save retention'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = input.input.value.trim();
    teamApi.put('/api/settings/retention', { days: value === '' ? null : Number(value) }).then(
      () => toast(value === '' ? 'Ended sessions are kept.' : `Ended sessions are deleted after ${value} days.`),
      (err: Error) => toast(err.message, 'error'),
    );
  });
  return form;
}

export async function renderTokens(app: HTMLElement): Promise<void> {
  const ok = await signedIn(app, 'API tokens', false);
  if (!ok) return;
  const { main } = ok;
  const list = h('tbody');
  const refresh = async (): Promise<void> => {
    const tokens = await teamApi.get<ApiTokenView[]>('/api/tokens');
    list.replaceChildren(
      ...tokens.map((t) => {
        const revoke = h('button', { class: 'btn btn-secondary btn-small', type: 'button', 'aria-label': `Revoke ${t.name}` }, 'Revoke');
        revoke.disabled = t.revokedAt !== null;
        revoke.addEventListener('click', () => teamApi.del(`/api/tokens/${t.id}`).then(refresh, (err: Error) => toast(err.message, 'error')));
        return h(
          'tr',
          {},
          h('td', {}, t.name),
          h('td', {}, when(t.createdAt)),
          h('td', {}, when(t.lastUsedAt)),
          h('td', {}, t.revokedAt ? `revoked ${when(t.revokedAt)}` : 'active'),
          h('td', {}, revoke),
        );
      }),
    );
  };
  const name = field('token-name', 'Token name', { required: true, maxlength: '80', placeholder: 'e.g. nightly export' });
  const shown = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card' },
    h('h2', {}, 'New token'),
    h('p', { class: 'muted small' }, 'For scripts: send it as Authorization: Bearer <token>. It acts as you.'),
    name.row,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create token'),
    shown,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    teamApi.post<{ token: string }>('/api/tokens', { name: name.input.value.trim() }).then(
      (r) => {
        name.input.value = '';
        shown.replaceChildren(
          h('p', { class: 'small' }, 'Copy it now: it is shown only once.'),
          h('input', { class: 'input link-box', readonly: true, value: r.token, 'aria-label': 'New token' }),
        );
        void refresh();
      },
      (err: Error) => toast(err.message, 'error'),
    );
  });
  main.replaceChildren(
    form,
    h(
      'div',
      { class: 'card' },
      h('h2', {}, 'Your tokens'),
      h('table', { class: 'sessions' }, h('thead', {}, h('tr', {}, ...['Name', 'Created', 'Last used', 'State', ''].map((c) => h('th', { scope: 'col' }, c)))), list),
    ),
  );
  await refresh();
}

export async function renderAudit(app: HTMLElement): Promise<void> {
  const ok = await signedIn(app, 'Audit log', true);
  if (!ok) return;
  const { main } = ok;
  const action = h('select', { class: 'input', id: 'audit-action' }, h('option', { value: '' }, 'All actions'), ...AUDIT_ACTIONS.map((a) => h('option', { value: a }, a)));
  const session = field('audit-session', 'Interview id', { placeholder: 'any' });
  const actor = h(
    'select',
    { class: 'input', id: 'audit-actor' },
    h('option', { value: '' }, 'Anyone'),
    h('option', { value: 'key' }, 'MENTOR_KEY'),
    ...(await teamApi.get<AccountView[]>('/api/accounts')).map((a) => h('option', { value: a.id }, `${a.name} (${a.email})`)),
  );
  const rows = h('tbody');
  const older = h('button', { class: 'btn btn-secondary', type: 'button', hidden: true }, 'Older entries');
  let oldest: number | undefined;
  /** Loads the newest entries matching the filters, or (`more`) the page before the oldest shown. */
  const load = async (more = false): Promise<void> => {
    const q = new URLSearchParams();
    if (action.value) q.set('action', action.value);
    if (actor.value) q.set('actor', actor.value);
    if (session.input.value.trim()) q.set('session', session.input.value.trim());
    if (more && oldest !== undefined) q.set('before', String(oldest));
    try {
      const entries = await teamApi.get<AuditView[]>(`/api/audit?${q}`);
      const shown = entries.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, when(e.at)),
          h('td', {}, e.actorName),
          h('td', {}, e.action),
          h('td', {}, e.sessionId ?? ''),
          h('td', {}, JSON.stringify(e.detail)),
          h('td', {}, e.address ?? ''),
        ),
      );
      if (more) rows.append(...shown);
      else rows.replaceChildren(...shown);
      if (entries.length > 0) oldest = entries[entries.length - 1]!.id;
      older.hidden = entries.length < AUDIT_PAGE;
    } catch (err) {
      toast(err instanceof ApiError ? err.message : String(err), 'error');
    }
  };
  older.addEventListener('click', () => void load(true));
  const form = h(
    'form',
    { class: 'card audit-filters' },
    h('label', { for: 'audit-action', class: 'field-label' }, 'Action'),
    action,
    h('label', { for: 'audit-actor', class: 'field-label' }, 'Who'),
    actor,
    session.row,
    h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Filter'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  main.replaceChildren(
    form,
    h(
      'div',
      { class: 'card' },
      h(
        'table',
        { class: 'sessions audit' },
        h('thead', {}, h('tr', {}, ...['When', 'Who', 'Action', 'Interview', 'Detail', 'Address'].map((c) => h('th', { scope: 'col' }, c)))),
        rows,
      ),
      older,
    ),
  );
  await load();
}
