// The replay page's skeleton. Its geometry never depends on what the timeline holds: the sidebar
// has a fixed width, the toolbar has two rows of fixed height that never wrap, and the scrubber
// sits under it, so neither moves while the session plays or the moment list grows (review.css).
import type { ReviewData } from '../../../common/review.ts';
import { h } from '../ui/dom.ts';
import { reviewTopbar } from './shell.ts';

export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32];

export interface ReplayLayout {
  root: HTMLElement;
  side: HTMLElement;
  editorHost: HTMLElement;
  playButton: HTMLButtonElement;
  speed: HTMLSelectElement;
  skipIdle: HTMLInputElement;
  authorship: HTMLInputElement;
  clock: HTMLElement;
  testButton: HTMLButtonElement;
  legend: HTMLElement;
  solutionTab: HTMLButtonElement;
  scratchTab: HTMLButtonElement;
  momentList: HTMLElement;
  recordedHost: HTMLElement;
  testedHost: HTMLElement;
  statement: HTMLElement;
  help: HTMLElement;
}

export interface ReplayActions {
  exportJson(): void;
  jumpRun(dir: 1 | -1): void;
  jumpMarker(dir: 1 | -1): void;
  toggleHelp(): void;
}

export function buildReplayLayout(data: ReviewData, scrubber: HTMLElement, reportLink: string, a: ReplayActions): ReplayLayout {
  const btn = (label: string, title: string, onClick: () => void) => {
    const b = h('button', { class: 'btn btn-ghost btn-small', type: 'button', title }, label);
    b.addEventListener('click', onClick);
    return b;
  };
  const playButton = h('button', { class: 'btn btn-primary play', type: 'button', title: 'Play / pause (space)' }, 'Play');
  const speed = h(
    'select',
    { class: 'speed', 'aria-label': 'Playback speed', title: 'Playback speed' },
    ...SPEEDS.map((s) => h('option', { value: String(s), selected: s === 1 }, `${s}x`)),
  );
  const skipIdle = h('input', { type: 'checkbox', checked: true });
  const authorship = h('input', { type: 'checkbox' });
  const clock = h('span', { class: 'replay-clock', 'aria-live': 'off' }, '00:00');
  const testButton = h(
    'button',
    { class: 'btn btn-secondary btn-small test-moment', type: 'button', title: 'Run the tests on the code as it stands at this instant' },
    'Test this moment',
  );
  const legend = h('div', { class: 'authors', hidden: true });
  const helpButton = btn('?', 'Keyboard shortcuts (?)', a.toggleHelp);
  helpButton.setAttribute('aria-label', 'Keyboard shortcuts');
  // Which file the editor shows: the solution, or the scratch console's file.
  const solutionTab = h('button', { class: 'file-tab active', type: 'button', title: 'The solution at this moment', 'aria-pressed': 'true' }, 'solution.c');
  const scratchTab = h(
    'button',
    { class: 'file-tab replay-scratch-tab', type: 'button', title: "The scratch console's file at this moment (never graded)", 'aria-pressed': 'false' },
    'scratch.c',
  );
  const momentList = h('ol', { class: 'moment-list', 'aria-label': 'What happened so far, newest first' });
  const recordedHost = h('div', { class: 'results-body' });
  const testedHost = h('div', { class: 'results-body tested', hidden: true });
  const statement = h('article', { class: 'statement', hidden: true });
  const help = h(
    'div',
    { class: 'help-sheet', hidden: true, role: 'dialog', 'aria-label': 'Keyboard shortcuts' },
    h('h2', {}, 'Keyboard shortcuts'),
    h(
      'dl',
      {},
      ...[
        ['Space', 'play / pause'],
        ['← →', 'back / forward 5 s (Shift: 30 s)'],
        ['[ ]', 'previous / next run'],
        [', .', 'previous / next marker'],
        ['Home End', 'start / end'],
        ['?', 'this help'],
      ].flatMap(([k, v]) => [h('dt', {}, k!), h('dd', {}, v!)]),
    ),
    h('p', { class: 'muted' }, 'Press ? or Esc to close.'),
  );

  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const tabButton = (label: string, active: boolean): HTMLButtonElement => {
    const b = h('button', { class: `tab${active ? ' active' : ''}`, type: 'button', role: 'tab', 'aria-selected': String(active) }, label);
    b.addEventListener('click', () => {
      statement.hidden = label !== 'Problem';
      momentList.hidden = label === 'Problem';
      for (const t of tabs.children) {
        t.classList.toggle('active', t === b);
        t.setAttribute('aria-selected', String(t === b));
      }
    });
    return b;
  };
  tabs.append(tabButton('Timeline', true), tabButton('Problem', false));
  const side = h(
    'aside',
    { class: 'side', 'aria-label': 'Timeline and problem' },
    tabs,
    h('div', { class: 'side-body', tabindex: 0, role: 'region', 'aria-label': 'Timeline' }, h('div', { class: 'moment' }, momentList), statement),
  );

  const root = h(
    'div',
    { class: 'room replay' },
    reviewTopbar(data, 'Replay', [
      h('a', { class: 'btn btn-secondary btn-small', href: reportLink }, 'Report'),
      btn('Export JSON', 'The whole session as one JSON document, to keep or import elsewhere', a.exportJson),
    ]),
    h(
      'main',
      { class: 'room-main' },
      side,
      h(
        'section',
        { class: 'workspace', 'aria-label': 'Replay' },
        h(
          'div',
          { class: 'editor-bar replay-bar' },
          h('div', { class: 'replay-row' }, h('div', { class: 'file-tabs' }, solutionTab, scratchTab), playButton, speed, clock),
          h(
            'div',
            { class: 'replay-row' },
            btn('◀ Run', 'Previous run ([)', () => a.jumpRun(-1)),
            btn('Run ▶', 'Next run (])', () => a.jumpRun(1)),
            btn('◀ Event', 'Previous marker of any kind (,)', () => a.jumpMarker(-1)),
            btn('Event ▶', 'Next marker of any kind (.)', () => a.jumpMarker(1)),
            h('label', { class: 'toggle', title: 'Compress stretches with no activity' }, skipIdle, 'Skip idle'),
            h('label', { class: 'toggle', title: 'Colour the text by who typed it; pasted text is marked' }, authorship, 'Authors'),
            testButton,
            helpButton,
          ),
        ),
        h('div', { class: 'scrub-row' }, scrubber),
        legend,
        h('div', { class: 'editor-host replay-editor' }),
        h(
          'section',
          { class: 'results', 'aria-label': 'Results at this moment' },
          h('div', { class: 'results-title' }, 'Results at this moment'),
          h('div', { class: 'results-scroll', tabindex: 0, role: 'region', 'aria-label': 'Results at this moment' }, testedHost, recordedHost),
        ),
      ),
    ),
    help,
  );
  const editorHost = root.querySelector<HTMLElement>('.replay-editor')!;
  return {
    root,
    side,
    editorHost,
    playButton,
    speed,
    skipIdle,
    authorship,
    clock,
    testButton,
    legend,
    solutionTab,
    scratchTab,
    momentList,
    recordedHost,
    testedHost,
    statement,
    help,
  };
}
