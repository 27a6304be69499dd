// The `?` sheet: the room's keyboard shortcuts in a dialog. `?` opens it anywhere but in a text
// field or the editor (where it types a question mark); the editor bar's ? button opens it too.
import { h } from '../ui/dom.ts';

const MOD = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

const SHORTCUTS: Array<[string, string]> = [
  [`${MOD} + Enter`, 'Run the tests (in the Console: run main())'],
  [`${MOD} + Space`, 'Complete: the exercise’s functions and types, C keywords'],
  [`${MOD} + Z / ${MOD} + Shift + Z`, 'Undo / redo your own edits in this file (never someone else’s)'],
  [`${MOD} + /`, 'Comment or uncomment the line'],
  [`${MOD} + F`, 'Find in the file'],
  [`${MOD} + D`, 'Select the next occurrence'],
  ['Alt + ↑ / ↓', 'Move the line up or down'],
  ['Shift + Alt + ↓', 'Copy the line down'],
  ['F1', 'All editor commands'],
  [
    /Mac|iPhone|iPad/.test(navigator.platform) ? 'Ctrl + Shift + M' : 'Ctrl + M',
    'Tab moves the focus out of the editor (again: Tab indents); a read-only editor always lets Tab through',
  ],
  ['?', 'This sheet (outside the editor)'],
  ['Esc', 'Close this sheet'],
];

export function installShortcutSheet(button: HTMLButtonElement): void {
  const dialog = h(
    'dialog',
    { class: 'shortcuts', 'aria-label': 'Keyboard shortcuts' },
    h('h2', {}, 'Keyboard shortcuts'),
    h('table', {}, h('tbody', {}, ...SHORTCUTS.map(([keys, what]) => h('tr', {}, h('td', {}, h('kbd', {}, keys)), h('td', {}, what))))),
    h('p', { class: 'muted small' }, 'Hover over someone’s cursor to see their name. Debug with fprintf(stderr, …): stderr is never compared.'),
    h('form', { method: 'dialog' }, h('button', { class: 'btn btn-secondary', type: 'submit' }, 'Close')),
  );
  document.body.append(dialog);
  const open = (): void => {
    if (!dialog.open) dialog.showModal();
  };
  button.addEventListener('click', open);
  document.addEventListener('keydown', (e) => {
    if (e.key !== '?' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.isContentEditable || t.closest('input, textarea, select, .monaco-editor'))) return;
    e.preventDefault();
    open();
  });
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close(); // a click on the backdrop
  });
}
