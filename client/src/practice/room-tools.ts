// What a practice room adds to the interview room: the exercise's hints, revealed one at a time on
// request (the server records each in the attempt's timeline), and "Reset to starter", an ordinary
// edit of the shared document through the editor, so Ctrl/Cmd+Z in the editor brings the code back.
import './practice.css';
import type { HintsView, RevealedHint } from '../../../common/practice.ts';
import type { CollabEditor } from '../editor/collab-editor.ts';
import type { RoomLayout } from '../room/layout.ts';
import { confirmDialog } from '../ui/confirm.ts';
import { h, toast } from '../ui/dom.ts';

export interface PracticeTools {
  /** The hints in the room's state (from 'session:state', plus those revealed since). */
  setHints(hints: HintsView | undefined): void;
  /** Enables what is possible now: only while the clock runs and the editor is writable. */
  refresh(live: boolean): void;
}

/** `reveal` asks for the next hint; the answer comes back through the room's state. */
export function mountPracticeTools(ui: RoomLayout, collab: CollabEditor, starter: string, reveal: () => Promise<void>): PracticeTools {
  const editor = collab.editor;
  let total = 0;
  let revealed: RevealedHint[] = [];
  let asking = false;
  let live = false;

  const count = h('p', { class: 'hints-count muted', 'aria-live': 'polite' });
  const list = h('ol', { class: 'hint-list' });
  const ask = h('button', { class: 'btn btn-secondary btn-small reveal-hint', type: 'button' }, 'Show a hint');
  const panel = h(
    'section',
    { class: 'hints-panel', 'aria-labelledby': 'hints-title', hidden: true },
    h('div', { class: 'hints-head' }, h('h2', { id: 'hints-title' }, 'Hints'), count, ask),
    list,
  );
  ui.statement.before(panel);

  const reset = h(
    'button',
    { class: 'btn btn-ghost btn-small reset-starter', type: 'button', title: 'Replace solution.c with the starter code (Ctrl/Cmd+Z in the editor undoes it)' },
    'Reset to starter',
  );
  ui.shortcutsButton.before(reset);

  const render = (): void => {
    panel.hidden = total === 0;
    count.textContent = `${revealed.length} of ${total} used`;
    list.replaceChildren(...revealed.map((hint) => h('li', { class: 'hint' }, h('span', { class: 'hint-number' }, `Hint ${hint.number}`), ' ', hint.text)));
    const next = revealed.length + 1;
    ask.hidden = revealed.length >= total;
    ask.textContent = `Show hint ${next} of ${total}`;
    ask.disabled = !live || asking;
    reset.disabled = !live;
  };

  ask.addEventListener('click', async () => {
    asking = true;
    render();
    await reveal();
    asking = false;
    render();
  });

  reset.addEventListener('click', async () => {
    const yes = await confirmDialog({
      title: 'Reset to the starter code?',
      body: 'solution.c is replaced by the starter code of this exercise. Ctrl+Z (Cmd+Z on a Mac) in the editor brings your code back.',
      confirm: 'Reset to starter',
      danger: true,
    });
    const model = editor.getModel();
    if (!yes || !model || !live) return;
    // Through the editor, like typing: the binding turns it into one Yjs edit of ours, which the
    // editor's own undo (a Y.UndoManager of local edits) reverts as a step of its own.
    collab.newUndoStep();
    editor.executeEdits('reset-to-starter', [{ range: model.getFullModelRange(), text: starter, forceMoveMarkers: true }]);
    collab.newUndoStep();
    editor.setPosition({ lineNumber: 1, column: 1 });
    editor.focus();
    toast('Reset to the starter code. Ctrl/Cmd+Z in the editor undoes it.', 'info');
  });

  render();
  return {
    setHints(hints) {
      total = hints?.total ?? 0;
      revealed = [...(hints?.revealed ?? [])];
      render();
    },
    refresh(now) {
      if (now === live) return;
      live = now;
      render();
    },
  };
}
