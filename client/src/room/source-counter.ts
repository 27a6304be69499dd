// The source size in the editor bar, shown as the limit comes near ("48.1 / 64 KiB" from three
// quarters of it), so that nobody meets the limit by surprise. Follows the document through a
// replacement by the server's copy (editor/provider.ts).
import type * as Y from 'yjs';
import { SOURCE_BYTES, formatKiB, sourceCounter } from '../../../common/source-limit.ts';
import type { SocketIOProvider } from '../editor/provider.ts';
import { docSourceBytes } from '../editor/source-size.ts';

export function mountSourceCounter(el: HTMLElement, provider: SocketIOProvider): void {
  el.setAttribute('role', 'status');
  const render = (): void => {
    const counter = sourceCounter(docSourceBytes(provider.doc));
    el.hidden = counter === null;
    el.textContent = counter?.text ?? '';
    el.className = `source-size source-${counter?.level ?? 'near'}`;
    if (counter) el.setAttribute('aria-label', counter.label);
    el.title = counter ? `${counter.label}; edits past ${formatKiB(SOURCE_BYTES)} are refused` : '';
  };
  let doc: Y.Doc = provider.doc;
  doc.on('update', render);
  provider.onReplace((next) => {
    doc.off('update', render);
    doc = next;
    doc.on('update', render);
    render();
  });
  render();
}
