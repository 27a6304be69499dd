// The mentor's private notes: a list plus an add box. Notes are text, never HTML.
import { LIMITS, type Note } from '../../../common/protocol.ts';
import { formatClock, h } from '../ui/dom.ts';

export interface NotesPanel {
  element: HTMLElement;
  set(notes: Note[]): void;
  add(note: Note): void;
}

export function createNotesPanel(submit: (text: string) => Promise<boolean>): NotesPanel {
  const list = h('ol', { class: 'notes-list' });
  const input = h('textarea', { class: 'notes-input', rows: 3, maxlength: LIMITS.noteChars, placeholder: 'Private note (only interviewers see it). Ctrl/Cmd + Enter to add.' });
  const button = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Add note');
  const seen = new Set<string>();

  const send = async (): Promise<void> => {
    const text = input.value.trim();
    if (!text) return;
    button.disabled = true;
    const ok = await submit(text);
    button.disabled = false;
    if (ok) input.value = '';
    input.focus();
  };
  button.addEventListener('click', () => void send());
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  });

  const render = (note: Note): HTMLElement => h('li', { class: 'note' }, h('time', {}, formatClock(note.at)), h('p', {}, note.text));

  const panel: NotesPanel = {
    element: h('div', { class: 'notes' }, list, h('div', { class: 'notes-add' }, input, button)),
    set(notes) {
      seen.clear();
      list.replaceChildren();
      for (const n of notes) panel.add(n);
    },
    add(note) {
      if (seen.has(note.id)) return; // our own note arrives both as ack and as 'note:added'
      seen.add(note.id);
      list.append(render(note));
      list.scrollTop = list.scrollHeight;
    },
  };
  return panel;
}
