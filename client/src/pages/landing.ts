// The front door: practise an exercise on the clock, or sign in as an interviewer. Candidates
// arrive with their own link and never need this page.
import { h } from '../ui/dom.ts';

export function renderLanding(app: HTMLElement): void {
  document.title = 'C Interview: practise timed C exercises, or hold interviews';
  const door = (title: string, text: string, href: string, label: string, primary: boolean): HTMLElement =>
    h(
      'a',
      { class: `door${primary ? ' door-primary' : ''}`, href },
      h('strong', {}, title),
      h('span', {}, text),
      h('span', { class: `btn ${primary ? 'btn-primary' : 'btn-secondary'}` }, label),
    );
  const feature = (title: string, text: string): HTMLElement => h('li', {}, h('strong', {}, title), h('span', {}, text));
  app.replaceChildren(
    h(
      'div',
      { class: 'page' },
      h('header', { class: 'topbar' }, h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), 'Interview')),
      h(
        'main',
        { class: 'landing' },
        h('h1', {}, 'Timed C exercises, graded in a sandbox'),
        h('p', { class: 'lead' }, 'Practise the 30-minute C exercises systems teams interview with, on the clock and alone, or host a live interview in one shared editor.'),
        h(
          'div',
          { class: 'doors' },
          door(
            'Practise an exercise',
            'No account. Pick an exercise, press Start, run the visible tests, submit; your hidden-test score and a replay of your attempt stay in this browser.',
            '/practice',
            'Browse exercises',
            true,
          ),
          door(
            'Hold an interview',
            'For interviewers: create a session, send the candidate a link, watch them code, replay and score it afterwards.',
            '/mentor',
            'Interviewer sign-in',
            false,
          ),
        ),
        h(
          'ul',
          { class: 'features' },
          feature('Real C, real faults', 'clang compiles to WebAssembly; crashes come back as “null dereference at line 12”, not a mystery.'),
          feature('Fair grading', 'Visible tests show a diff; hidden tests decide the score and are never shown.'),
          feature('A clock everyone trusts', 'The server owns the timer; the editor locks at the deadline.'),
          feature('Self-hosted', 'Open source: the code written here never leaves your server.'),
        ),
        h('p', { class: 'muted' }, 'Candidates: use the link your interviewer sent you.'),
      ),
    ),
  );
}
