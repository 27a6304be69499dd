// A modal confirmation (<dialog>): resolves true only when the person presses the confirm button.
// Escape, Cancel and a click outside all answer no.
import { h } from './dom.ts';

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}

export function confirmDialog(o: ConfirmOptions): Promise<boolean> {
  const cancel = h('button', { class: 'btn btn-secondary', type: 'button', value: 'cancel' }, 'Cancel');
  const ok = h('button', { class: `btn ${o.danger ? 'btn-danger-solid' : 'btn-primary'} confirm-yes`, type: 'button' }, o.confirm);
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': 'confirm-title' },
    h('h2', { id: 'confirm-title' }, o.title),
    h('p', {}, o.body),
    h('div', { class: 'confirm-actions' }, cancel, ok),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    let answer = false;
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    cancel.addEventListener('click', () => dialog.close());
    ok.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    // A click on the backdrop lands on the dialog element itself.
    dialog.addEventListener('click', (e) => {
      if (e.target === dialog) dialog.close();
    });
    dialog.showModal();
    cancel.focus(); // the safe choice has the focus
  });
}
