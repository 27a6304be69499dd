// The browser refuses an edit that would take the document past the source limit before it
// reaches the shared Y.Text, so the editor never holds text the server will refuse. Monaco has
// no "before change" veto, so y-monaco's model listener (Monaco -> Y.Text) is replaced by the
// same code with a size check in front; a refused change is taken back out of the model at once,
// inside the binding's mutex so that taking it back is not itself copied to the Y.Text.
import type { MonacoBinding } from 'y-monaco';
import { SOURCE_BYTES, refusesSourceSize, utf8Length } from '../../../common/source-limit.ts';
import { monaco } from './monaco.ts';
import { docSourceBytes, minimalEdit } from './source-size.ts';

export function guardBinding(binding: MonacoBinding, onRefused: (after: number) => void): void {
  const { monacoModel: model, ytext, doc } = binding;
  binding._monacoChangeHandler.dispose();
  binding._monacoChangeHandler = model.onDidChangeContent((event) => {
    binding.mux(() => {
      const before = docSourceBytes(doc);
      const inserted = event.changes.reduce((n, c) => n + utf8Length(c.text), 0);
      // Exact size only when the insertions alone could pass the limit (deletions only shrink it).
      if (before + inserted > SOURCE_BYTES) {
        const shown = ytext.toString();
        const after = before - utf8Length(shown) + utf8Length(model.getValue());
        if (refusesSourceSize(before, after)) {
          restoreModel(model, shown);
          onRefused(after);
          return;
        }
      }
      // From here on, y-monaco's own handler (y-monaco.js, MonacoBinding): right to left.
      doc.transact(() => {
        [...event.changes]
          .sort((a, b) => b.rangeOffset - a.rangeOffset)
          .forEach((change) => {
            ytext.delete(change.rangeOffset, change.rangeLength);
            ytext.insert(change.rangeOffset, change.text);
          });
      }, binding);
    });
  });
}

/** Makes the model's text `text` again with the smallest edit (the cursor stays where it was). */
export function restoreModel(model: monaco.editor.ITextModel, text: string): void {
  const edit = minimalEdit(model.getValue(), text);
  if (!edit) return;
  const range = monaco.Range.fromPositions(model.getPositionAt(edit.start), model.getPositionAt(edit.end));
  model.applyEdits([{ range, text: edit.text }]);
}
