// After the server refused an edit, the provider brings the editor back to the server's copy
// (editor/provider.ts). This says so and keeps what this browser had: for each file whose text
// differs, a read-only box with a Copy button, so nothing typed is lost without a trace.
import { SCRATCH_FILE, SCRATCH_TEXT, SOLUTION_FILE } from '../../../common/console.ts';
import { DOC_TEXT, type ErrorReply } from '../../../common/protocol.ts';
import type { Restored } from '../editor/provider.ts';
import { h, toast } from '../ui/dom.ts';

const FILES = [
  { text: DOC_TEXT, name: SOLUTION_FILE },
  { text: SCRATCH_TEXT, name: SCRATCH_FILE },
] as const;

/** The files whose local text differs from the server's copy, with the local text. */
export function lostFiles(restored: Restored): Array<{ name: string; text: string }> {
  return FILES.flatMap(({ text, name }) => {
    const mine = restored.previous.getText(text).toString();
    return mine === restored.doc.getText(text).toString() ? [] : [{ name, text: mine }];
  });
}

export function showRestored(restored: Restored, reason: (e: ErrorReply) => string): void {
  const lost = lostFiles(restored);
  const why = `The server refused an edit: ${reason(restored.error)}`;
  if (lost.length === 0) {
    toast(`${why} Nothing you see was lost.`, 'warn');
    return;
  }
  const close = h('button', { class: 'btn btn-primary', type: 'button' }, 'Close and go on editing');
  const dialog = h(
    'dialog',
    { class: 'restored', 'aria-labelledby': 'restored-title' },
    h('h2', { id: 'restored-title' }, 'Your last edits were not saved'),
    h('p', {}, why),
    h(
      'p',
      {},
      'The editor now shows the copy saved on the server, and what you type from here is saved as usual. ' +
        'Your version as it was in this browser is below: copy what you need from it.',
    ),
    ...lost.map(copyBox),
    h('div', { class: 'restored-actions' }, close),
  );
  document.body.append(dialog);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.showModal();
}

function copyBox({ name, text }: { name: string; text: string }): HTMLElement {
  const box = h('textarea', { class: 'restored-text', readonly: true, rows: 8, spellcheck: 'false', 'aria-label': `Your unsaved version of ${name}` });
  box.value = text;
  const copy = h('button', { class: 'btn btn-secondary', type: 'button', 'aria-label': `Copy your version of ${name}` }, 'Copy');
  copy.addEventListener('click', () => {
    box.select();
    const done = (): void => {
      copy.textContent = 'Copied';
      setTimeout(() => (copy.textContent = 'Copy'), 1500);
    };
    // The clipboard API needs a secure context; otherwise the selected box is copied.
    if (navigator.clipboard && window.isSecureContext) void navigator.clipboard.writeText(text).then(done, () => document.execCommand('copy') && done());
    else if (document.execCommand('copy')) done();
  });
  return h('div', { class: 'restored-file' }, h('div', { class: 'restored-file-head' }, h('strong', {}, name), ` · ${text.length.toLocaleString('en')} characters`, copy), box);
}
