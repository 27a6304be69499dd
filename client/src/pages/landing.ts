// What this is, and the way in for interviewers. Candidates arrive with their own link.
import { h } from '../ui/dom.ts';

export function renderLanding(app: HTMLElement): void {
  document.title = 'C Interview';
  const feature = (title: string, text: string): HTMLElement => h('li', {}, h('strong', {}, title), h('span', {}, text));
  app.replaceChildren(
    h('div', { class: 'page' },
      h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview')),
      h('main', { class: 'landing' },
        h('h1', {}, 'Timed C coding interviews, on your own server'),
        h('p', { class: 'lead' },
          'A shared editor, a 30-minute timer and tests that run in a sandbox on the server. ',
          'Open source and self-hosted: the candidate’s code never leaves your machine.'),
        h('ul', { class: 'features' },
          feature('Pair in real time', 'Both of you edit the same file and see each other’s cursor.'),
          feature('Fair, server-side grading', 'Visible tests show a diff; hidden tests are counted, never shown.'),
          feature('A clock everyone trusts', 'The server owns the timer; the editor locks at the deadline.'),
          feature('Private notes', 'Interviewers keep notes the candidate never sees.'),
        ),
        h('div', { class: 'cta' },
          h('a', { class: 'btn btn-primary', href: '/mentor' }, 'Interviewer sign-in'),
          h('span', { class: 'muted' }, 'Candidates: use the link your interviewer sent you.')),
      ),
    ),
  );
}
