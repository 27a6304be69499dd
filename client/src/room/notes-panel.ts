// The mentor's private notes: a list plus an add box. Notes are text, never HTML. Each note shows
// its interview time (mm:ss since the timer started) beside the wall-clock time.
import { LIMITS, type Note } from '../../../common/protocol.ts';
import { formatInterviewTime } from '../review/timeline.ts';
import { formatClock, h } from '../ui/dom.ts';
import { checkedText } from '../ui/text-field.ts';
import { appendList } from './append-list.ts';

export interface NotesPanel {
  element: HTMLElement;
  /** The notes in the room's state; `loads` changes when the session was (re)loaded. */
  render(notes: readonly Note[], loads: number): void;
}

/** "12:34" into the interview, or "before start"; both on the server's clock. */
export function interviewTimeOf(at: number, startedAt: number | null): string {
  return startedAt === null || at < startedAt ? 'before start' : formatInterviewTime(at - startedAt);
}

/**
 * `submit` returns null when the note was stored, else the server's reason (shown under the box).
 * `startedAt` reads the session's start (server time) when a note is shown.
 */
export function createNotesPanel(submit: (text: string) => Promise<string | null>, startedAt: () => number | null = () => null): NotesPanel {
  const list = h('ol', { class: 'notes-list' });
  const field = checkedText({
    label: 'A note',
    max: LIMITS.noteChars,
    multiline: true,
    attrs: { class: 'notes-input', rows: 3, 'aria-label': 'Private note', placeholder: 'Private note (only interviewers see it). Ctrl/Cmd + Enter to add.' },
  });
  const input = field.control;
  const button = h('button', { class: 'btn btn-secondary', type: 'button' }, 'Add note');

  const send = async (): Promise<void> => {
    const text = field.take();
    if (text === null) return;
    button.disabled = true;
    const refused = await submit(text);
    button.disabled = false;
    if (refused === null) field.clear();
    else field.showError(refused);
    input.focus();
  };
  button.addEventListener('click', () => void send());
  input.addEventListener('keydown', (e) => {
    const k = e as KeyboardEvent;
    if (k.key === 'Enter' && (k.ctrlKey || k.metaKey)) {
      e.preventDefault();
      void send();
    }
  });

  const item = (note: Note): HTMLElement =>
    h(
      'li',
      { class: 'note' },
      h(
        'div',
        { class: 'note-times' },
        h('span', { class: 'note-interview-time', title: 'Interview time (since the timer started)' }, interviewTimeOf(note.at, startedAt())),
        h('time', { class: 'note-clock', datetime: new Date(note.at).toISOString(), title: new Date(note.at).toLocaleString() }, formatClock(note.at)),
      ),
      h('p', {}, note.text),
    );

  const append = (note: Note): void => {
    list.append(item(note));
    list.scrollTop = list.scrollHeight;
  };
  return {
    element: h('div', { class: 'notes' }, list, h('div', { class: 'notes-add' }, input, field.meta, button)),
    render: appendList<Note>({
      rebuild(notes) {
        list.replaceChildren();
        notes.forEach(append);
      },
      append,
    }),
  };
}
