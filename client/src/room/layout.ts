// The room's static skeleton. Everything dynamic is filled in by room.ts.
import { h } from '../ui/dom.ts';

export interface RoomLayout {
  root: HTMLElement;
  brand: HTMLAnchorElement;
  title: HTMLElement;
  roleBadge: HTMLElement;
  candidate: HTMLElement;
  presence: HTMLElement;
  you: HTMLButtonElement;
  controls: HTMLElement;
  timer: HTMLElement;
  timerLabel: HTMLElement;
  banner: HTMLElement;
  connection: HTMLElement;
  tabs: HTMLElement;
  statement: HTMLElement;
  notes: HTMLElement;
  /** The room's chat (chat-panel.ts), interviews only. */
  chat: HTMLElement;
  /** The mentor's interviewer guide and reference solution (guide-panel.ts). */
  guide: HTMLElement;
  /** The bar's file name, which the console's file tabs replace (console-panel.ts). */
  fileName: HTMLElement;
  editor: HTMLElement;
  editorHint: HTMLElement;
  runButton: HTMLButtonElement;
  runStatus: HTMLElement;
  /** Whether local edits are saved on the server (or waiting to be). */
  saveState: HTMLElement;
  /** The source size, shown near the limit (source-counter.ts). */
  sourceSize: HTMLElement;
  shortcutsButton: HTMLButtonElement;
  side: HTMLElement;
  workspace: HTMLElement;
  editorPane: HTMLElement;
  resultsPane: HTMLElement;
  history: HTMLElement;
  results: HTMLElement;
}

export function buildLayout(): RoomLayout {
  const brand = h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark' }, 'C'), h('span', { class: 'brand-text' }, 'Interview'));
  const title = h('span', { class: 'room-title' }, 'Loading…');
  const roleBadge = h('span', { class: 'badge' });
  const candidate = h('span', { class: 'room-candidate' });
  const presence = h('ul', { class: 'presence', 'aria-label': 'Participants online' });
  const you = h('button', { class: 'btn btn-ghost btn-small you', type: 'button', title: 'Change the name others see next to your cursor' }, 'Rename');
  const controls = h('div', { class: 'controls' });
  const timerLabel = h('span', { class: 'timer-label' }, 'Time left');
  const timer = h('div', { class: 'timer', role: 'timer', 'aria-live': 'off' }, '--:--');
  const banner = h('div', { class: 'banner', hidden: true });
  const connection = h('div', { class: 'connection', hidden: true, role: 'status' });
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const statement = h('article', { class: 'statement' });
  const notes = h('div', { class: 'notes-host', hidden: true });
  const guide = h('article', { class: 'statement guide', hidden: true });
  const chat = h('div', { class: 'chat-host', hidden: true });
  const fileName = h('span', { class: 'file-name' }, 'solution.c');
  const editor = h('div', { class: 'editor-host' });
  const editorHint = h('span', { class: 'editor-hint' }, 'Ctrl/Cmd + Enter runs the tests');
  const runButton = h('button', { class: 'btn btn-primary run', type: 'button', disabled: true }, 'Run tests');
  const runStatus = h('span', { class: 'run-status', 'aria-live': 'polite' });
  const saveState = h('span', { class: 'save-state', 'aria-live': 'polite' });
  const sourceSize = h('span', { class: 'source-size', hidden: true });
  const shortcutsButton = h(
    'button',
    { class: 'btn btn-ghost btn-small shortcuts-button', type: 'button', title: 'Keyboard shortcuts (?)', 'aria-label': 'Keyboard shortcuts' },
    '?',
  );
  const history = h('nav', { class: 'run-history', 'aria-label': 'Run history' });
  const results = h('div', { class: 'results-body', role: 'region', tabindex: 0, 'aria-label': 'Results of the selected run' });
  // A scrolling region: focusable so that keyboard users can scroll it (WCAG 2.1.1).
  const side = h(
    'aside',
    { class: 'side', 'aria-label': 'Problem and notes' },
    tabs,
    h('div', { class: 'side-body', tabindex: 0, role: 'region', 'aria-label': 'Side panel' }, statement, notes, chat, guide),
  );
  // The editor and the results are the two panes of a vertical split (panes.ts).
  const editorPane = h('div', { class: 'editor-pane' }, editor);
  const resultsPane = h(
    'section',
    { class: 'results', 'aria-label': 'Test results' },
    h(
      'div',
      { class: 'results-title' },
      h('span', {}, 'Results'),
      h('span', { class: 'stderr-hint' }, 'Debug with fprintf(stderr, …): stderr is shown for each case and never compared.'),
    ),
    h('div', { class: 'results-split' }, history, results),
  );
  const workspace = h(
    'section',
    { class: 'workspace' },
    h('div', { class: 'editor-bar' }, fileName, editorHint, sourceSize, saveState, runStatus, shortcutsButton, runButton),
    h('div', { class: 'workspace-split' }, editorPane, resultsPane),
  );

  const root = h(
    'div',
    { class: 'room' },
    h(
      'header',
      { class: 'topbar' },
      brand,
      h('div', { class: 'topbar-info' }, title, roleBadge, candidate),
      h('div', { class: 'topbar-right' }, presence, you, controls, h('div', { class: 'timer-box' }, timerLabel, timer)),
    ),
    connection,
    banner,
    h('main', { class: 'room-main' }, side, workspace),
  );
  return {
    root,
    brand,
    title,
    roleBadge,
    candidate,
    presence,
    you,
    controls,
    timer,
    timerLabel,
    banner,
    connection,
    tabs,
    statement,
    notes,
    chat,
    guide,
    fileName,
    editor,
    editorHint,
    runButton,
    runStatus,
    saveState,
    sourceSize,
    shortcutsButton,
    side,
    workspace,
    editorPane,
    resultsPane,
    history,
    results,
  };
}
