// What the candidate's page reports about itself while the clock runs: pastes into the editor
// (size) and the page losing or regaining focus or visibility. The server stamps and measures them.
import type { SignalReport, TimelineEvent } from '../../../common/review.ts';
import type { monaco } from '../editor/monaco.ts';
import { formatClock, h } from '../ui/dom.ts';
import { appendList } from './append-list.ts';

export function reportIntegritySignals(editor: monaco.editor.IStandaloneCodeEditor, active: () => boolean, send: (report: SignalReport) => void): () => void {
  const report = (r: SignalReport) => {
    if (active()) send(r);
  };
  // The DOM paste event, not Monaco's onDidPaste: it fires for every paste into the editor,
  // whichever input path Monaco uses, and carries exactly what was pasted.
  const onPaste = (e: ClipboardEvent) => {
    if (!editor.hasTextFocus()) return;
    const text = e.clipboardData?.getData('text/plain') ?? '';
    if (text.length > 0) report({ kind: 'paste', chars: text.length, lines: text.split('\n').length });
  };
  document.addEventListener('paste', onPaste, true);
  // Away = the tab is hidden or the window lost focus; back = visible and focused again.
  let away = false;
  const update = (reason: 'blur' | 'hidden') => {
    const nowAway = document.visibilityState === 'hidden' || !document.hasFocus();
    if (nowAway === away) return;
    away = nowAway;
    report({ kind: 'focus', state: away ? 'lost' : 'back', reason });
  };
  const onBlur = () => update('blur');
  const onFocus = () => update('blur');
  const onVisibility = () => update('hidden');
  window.addEventListener('blur', onBlur);
  window.addEventListener('focus', onFocus);
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    document.removeEventListener('paste', onPaste, true);
    window.removeEventListener('blur', onBlur);
    window.removeEventListener('focus', onFocus);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** The mentor's view of the candidate's signals, under the private notes. */
export function createSignalList(describe: (e: TimelineEvent) => string): { element: HTMLElement; render(events: readonly TimelineEvent[], loads: number): void } {
  const list = h('ul', { class: 'signal-list' });
  const empty = h('p', { class: 'muted small' }, 'No pastes or focus changes so far.');
  const element = h('section', { class: 'signals-panel' }, h('h3', {}, 'Integrity signals'), empty, list);
  const append = (e: TimelineEvent) => {
    empty.hidden = true;
    list.append(h('li', { class: e.type === 'paste' && e.data['flagged'] ? 'flagged' : '' }, h('time', {}, formatClock(e.at)), ' ', describe(e)));
  };
  return {
    element,
    render: appendList<TimelineEvent>({
      rebuild(events) {
        list.replaceChildren();
        empty.hidden = events.length > 0;
        events.forEach(append);
      },
      append,
    }),
  };
}
