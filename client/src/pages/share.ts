// Co-interviewers: share an interview with another mentor's account (by email). They then see it
// on their dashboard and join the room under their own name; the interviewer link stays for guests.
import type { AccountView, Me } from '../../../common/accounts.ts';
import { teamApi, type SessionSummary } from '../api.ts';
import { h, toast } from '../ui/dom.ts';

export function shareSection(s: SessionSummary, me: Me): HTMLElement {
  const path = `/api/sessions/${encodeURIComponent(s.id)}/shares`;
  const list = h('ul', { class: 'share-list', 'aria-label': 'Shared with' });
  const email = h('input', { type: 'email', class: 'input', id: `share-${s.id}`, placeholder: 'colleague@example.org', autocomplete: 'off' });
  const add = h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Share');
  const form = h('form', { class: 'share-form' }, h('label', { for: `share-${s.id}`, class: 'small' }, 'Share with a mentor (email)'), email, add);

  const show = (shares: AccountView[]): void => {
    list.replaceChildren(
      ...shares.map((a) => {
        const remove = h('button', { class: 'btn btn-ghost btn-small', type: 'button', 'aria-label': `Stop sharing with ${a.name}` }, 'Remove');
        remove.addEventListener('click', () => {
          teamApi.del(`${path}/${encodeURIComponent(a.id)}`).then(refresh, (err: Error) => toast(err.message, 'error'));
        });
        return h('li', {}, `${a.name} (${a.email}) `, remove);
      }),
    );
  };
  const refresh = (): void => {
    teamApi.get<AccountView[]>(path).then(show, () => list.replaceChildren());
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!email.value.trim()) return;
    add.disabled = true;
    teamApi
      .post(path, { email: email.value.trim() })
      .then(
        () => {
          email.value = '';
          refresh();
        },
        (err: Error) => toast(`Not shared: ${err.message}`, 'error'),
      )
      .finally(() => (add.disabled = false));
  });
  refresh();
  return h('div', { class: 'share' }, h('h3', { class: 'small' }, 'Co-interviewers'), list, form, me.role === 'admin' ? reassignForm(s) : null);
}

/** Admins: give the interview to another account (e.g. one of a disabled mentor's). */
function reassignForm(s: SessionSummary): HTMLElement {
  const email = h('input', { type: 'email', class: 'input', id: `owner-${s.id}`, placeholder: 'new.owner@example.org', autocomplete: 'off' });
  const form = h(
    'form',
    { class: 'share-form' },
    h('label', { for: `owner-${s.id}`, class: 'small' }, 'Give to (email)'),
    email,
    h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Give'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!email.value.trim()) return;
    teamApi.post<AccountView>(`/api/sessions/${encodeURIComponent(s.id)}/owner`, { email: email.value.trim() }).then(
      (to) => {
        email.value = '';
        toast(`The interview is now ${to.name}'s.`, 'ok');
      },
      (err: Error) => toast(`Not given: ${err.message}`, 'error'),
    );
  });
  return form;
}
