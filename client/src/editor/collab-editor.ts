// The shared C editor: Monaco bound to a Y.Text ('code' by default; the console's 'scratch'),
// remote cursors with names, local-only undo, and test-run markers.
import * as Y from 'yjs';
import { MonacoBinding } from 'y-monaco';
import { DOC_TEXT } from '../../../common/protocol.ts';
import type { MarkerSpec } from '../session/markers.ts';
import { remoteCursorCss, safeColor } from './colors.ts';
import { EDITOR_THEME, monaco } from './monaco.ts';
import type { SocketIOProvider } from './provider.ts';

export interface CollabEditor {
  editor: monaco.editor.IStandaloneCodeEditor;
  setReadOnly(readOnly: boolean, message?: string): void;
  setMarkers(specs: MarkerSpec[]): void;
  destroy(): void;
}

/** How long a remote participant's name stays up after they move or type. */
const LABEL_MS = 2_500;

const SEVERITY: Record<MarkerSpec['severity'], monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

export function createCollabEditor(
  container: HTMLElement,
  provider: SocketIOProvider,
  options: { onRun: () => void; text?: string; fileName?: string },
): CollabEditor {
  const ytext = provider.doc.getText(options.text ?? DOC_TEXT);
  const model = monaco.editor.createModel('', 'c', monaco.Uri.parse(`inmemory://interview/${options.fileName ?? 'solution.c'}`));
  model.updateOptions({ tabSize: 4, insertSpaces: true });
  const editor = monaco.editor.create(container, {
    model,
    theme: EDITOR_THEME,
    automaticLayout: true,
    fontSize: 14,
    lineHeight: 21,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    padding: { top: 18, bottom: 12 },
    fixedOverflowWidgets: true,
    renderLineHighlight: 'line',
    // Sticky scroll headers overlap the remote cursor labels and confuse a shared view.
    stickyScroll: { enabled: false },
    readOnly: true,
    // Squiggles for read-only viewers too (observers, the ended session): Monaco hides them there by default.
    renderValidationDecorations: 'on',
    ariaLabel: options.fileName ? `Shared C editor: ${options.fileName}` : 'Shared C editor',
  });

  const binding = new MonacoBinding(ytext, model, new Set([editor]), provider.awareness);

  // Monaco's own undo stack would also revert remote edits (yjs/y-monaco#9): only undo what
  // this browser typed, i.e. transactions whose origin is our binding.
  const undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([binding]), captureTimeout: 500 });
  let readOnly = true;
  const undo = (): void => {
    if (!readOnly) undoManager.undo();
  };
  const redo = (): void => {
    if (!readOnly) undoManager.redo();
  };
  const { KeyMod, KeyCode } = monaco;
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyZ, undo);
  editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, redo);
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyY, redo);
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, options.onRun);

  // One stylesheet for all remote cursors, rebuilt when anyone's awareness changes. A name shows
  // while its owner moves or types and for LABEL_MS after (and on hover, in styles.css), so idle
  // labels neither cover code nor pile up where several people left their carets.
  const style = document.createElement('style');
  style.dataset['role'] = 'remote-cursors';
  document.head.append(style);
  const lastMoved = new Map<number, number>();
  let expiry: ReturnType<typeof setTimeout> | undefined;
  const renderCursorCss = (): void => {
    const rules: string[] = [];
    const now = Date.now();
    let nextExpiry = Infinity;
    provider.awareness.getStates().forEach((state, clientId) => {
      if (clientId === provider.doc.clientID) return;
      const user: unknown = state['user'];
      if (typeof user !== 'object' || user === null) return;
      const { name, color } = user as { name?: unknown; color?: unknown };
      const until = (lastMoved.get(clientId) ?? 0) + LABEL_MS;
      if (until > now) nextExpiry = Math.min(nextExpiry, until);
      rules.push(remoteCursorCss(clientId, typeof name === 'string' ? name : 'Guest', safeColor(color), until > now ? 'active' : 'idle'));
    });
    style.textContent = rules.join('\n');
    clearTimeout(expiry);
    if (nextExpiry !== Infinity) expiry = setTimeout(renderCursorCss, nextExpiry - now + 20);
  };
  const onAwarenessChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }): void => {
    const now = Date.now();
    for (const id of [...added, ...updated]) if (id !== provider.doc.clientID) lastMoved.set(id, now);
    for (const id of removed) lastMoved.delete(id);
    renderCursorCss();
  };
  provider.awareness.on('change', onAwarenessChange);
  renderCursorCss();

  return {
    editor,
    setReadOnly(value, message) {
      readOnly = value;
      editor.updateOptions({ readOnly: value, readOnlyMessage: { value: message ?? 'The editor is read-only.' } });
      // The "read-only" bubble shown on a keypress would otherwise outlive the lock (e.g. after Start).
      if (!value) editor.getContribution<{ closeMessage(): void } & monaco.editor.IEditorContribution>('editor.contrib.messageController')?.closeMessage();
    },
    setMarkers(specs) {
      const lines = model.getLineCount();
      const markers = specs
        .filter((s) => s.line <= lines)
        .map((s): monaco.editor.IMarkerData => {
          const whole = s.column === null;
          const startColumn = whole ? model.getLineFirstNonWhitespaceColumn(s.line) || 1 : s.column ?? 1;
          return {
            severity: SEVERITY[s.severity],
            message: s.message,
            source: s.source,
            startLineNumber: s.line,
            endLineNumber: s.line,
            startColumn,
            endColumn: whole ? model.getLineMaxColumn(s.line) : startColumn,
          };
        });
      monaco.editor.setModelMarkers(model, 'tests', markers);
    },
    destroy() {
      provider.awareness.off('change', onAwarenessChange);
      clearTimeout(expiry);
      style.remove();
      undoManager.destroy();
      binding.destroy();
      editor.dispose();
      model.dispose();
    },
  };
}
