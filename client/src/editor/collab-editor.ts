// The shared C editor: Monaco bound to a Y.Text ('code' by default; the console's 'scratch'),
// remote cursors with names, local-only undo, shortcuts of its own, the source limit enforced
// before an edit is shared, and test-run markers.
import * as Y from 'yjs';
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import { DOC_TEXT } from '../../../common/protocol.ts';
import { sourceLimitMessage } from '../../../common/source-limit.ts';
import type { MarkerSpec } from '../session/markers.ts';
import { toast } from '../ui/dom.ts';
import { remoteCursorCss, safeColor } from './colors.ts';
import { guardBinding, restoreModel } from './edit-guard.ts';
import { EDITOR_THEME, monaco } from './monaco.ts';
import type { SocketIOProvider } from './provider.ts';

export interface CollabEditor {
  editor: monaco.editor.IStandaloneCodeEditor;
  setReadOnly(readOnly: boolean, message?: string): void;
  setMarkers(specs: MarkerSpec[]): void;
  /** Closes the current undo step: the next local edit is undone on its own, not merged with the last. */
  newUndoStep(): void;
  destroy(): void;
}

/** How long a remote participant's name stays up after they move or type. */
const LABEL_MS = 2_500;
/** A refused edit within this long of a paste (or drop) into the editor, with no key typed since, is the paste. */
const PASTE_MS = 5_000;
/** Repeated refusals (typing on at the limit) show one message per this long. */
const REFUSAL_TOAST_MS = 2_500;

/**
 * y-monaco's destroy() leaves its cursor listener on the editor, which would go on publishing
 * selections in the old document after a rebind: each binding gets a view of the awareness that
 * stops writing once the binding is replaced.
 */
function awarenessFor(awareness: Awareness, live: () => boolean): Awareness {
  return new Proxy(awareness, {
    get(target, key) {
      if (key === 'setLocalStateField') {
        return (field: string, value: unknown) => {
          if (live()) target.setLocalStateField(field, value);
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const SEVERITY: Record<MarkerSpec['severity'], monaco.MarkerSeverity> = {
  error: monaco.MarkerSeverity.Error,
  warning: monaco.MarkerSeverity.Warning,
  info: monaco.MarkerSeverity.Info,
};

export function createCollabEditor(
  container: HTMLElement,
  provider: SocketIOProvider,
  options: { onRun: () => void; runLabel: string; text?: string; fileName?: string },
): CollabEditor {
  const textName = options.text ?? DOC_TEXT;
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
    tabFocusMode: true, // follows readOnly (setReadOnly)
    // Squiggles for read-only viewers too (observers, the ended session): Monaco hides them there by default.
    renderValidationDecorations: 'on',
    ariaLabel: options.fileName ? `Shared C editor: ${options.fileName}` : 'Shared C editor',
  });

  // An edit past the source limit is refused here, before the document has it (edit-guard.ts).
  // On the document, capturing: Monaco's paste handler on the container stops the event there
  // and applies the paste later (async), so the time of the paste is remembered, not the event.
  let pastedAt = 0;
  const notePaste = (e: Event): void => {
    if (e.target instanceof Node && container.contains(e.target)) pastedAt = Date.now();
  };
  const noteKey = (e: KeyboardEvent): void => {
    if (!e.ctrlKey && !e.metaKey && e.target instanceof Node && container.contains(e.target)) pastedAt = 0; // typing
  };
  document.addEventListener('paste', notePaste, true);
  document.addEventListener('drop', notePaste, true);
  document.addEventListener('keydown', noteKey, true);
  let lastRefusal = 0;
  const refused = (after: number): void => {
    const pasted = Date.now() - pastedAt < PASTE_MS;
    pastedAt = 0;
    if (!pasted && Date.now() - lastRefusal < REFUSAL_TOAST_MS) return;
    lastRefusal = Date.now();
    toast(sourceLimitMessage(pasted ? 'paste' : 'edit', after), 'error');
  };

  // The binding, and the undo stack of this file's local edits, belong to one Y.Doc: after a
  // refused edit the provider replaces the document with the server's, and they are made anew.
  let binding: MonacoBinding;
  let undoManager: Y.UndoManager;
  let generation = 0;
  const bind = (doc: Y.Doc): void => {
    const ytext = doc.getText(textName);
    restoreModel(model, ytext.toString()); // before binding: a small edit keeps the cursor, setValue would not
    const mine = ++generation;
    binding = new MonacoBinding(
      ytext,
      model,
      new Set([editor]),
      awarenessFor(provider.awareness, () => generation === mine),
    );
    guardBinding(binding, refused);
    // Monaco's own undo stack would also revert remote edits (yjs/y-monaco#9): only undo what
    // this browser typed, i.e. transactions whose origin is our binding.
    undoManager = new Y.UndoManager(ytext, { trackedOrigins: new Set([binding]), captureTimeout: 500 });
  };
  bind(provider.doc);
  const offReplace = provider.onReplace((doc) => {
    undoManager.destroy();
    // y-monaco leaves its remote cursors in the editor on destroy(): the new binding draws its own.
    editor.removeDecorations(binding._decorations.get(editor) ?? []);
    binding.destroy();
    bind(doc);
  });

  // Shortcuts as actions of this editor: Monaco scopes an action's keys to its editor (and we to
  // its text focus), where addCommand binds for every editor on the page and the last one wins.
  let readOnly = true;
  const { KeyMod, KeyCode } = monaco;
  const action = (id: string, label: string, keybindings: number[], run: () => void): void => {
    editor.addAction({ id, label, keybindings, keybindingContext: 'editorTextFocus', run });
  };
  action('interview.undo', 'Undo your own edit', [KeyMod.CtrlCmd | KeyCode.KeyZ], () => {
    if (!readOnly) undoManager.undo();
  });
  action('interview.redo', 'Redo your own edit', [KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.KeyZ, KeyMod.CtrlCmd | KeyCode.KeyY], () => {
    if (!readOnly) undoManager.redo();
  });
  action('interview.run', options.runLabel, [KeyMod.CtrlCmd | KeyCode.Enter], options.onRun);

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
      if (clientId === provider.awareness.clientID) return;
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
    for (const id of [...added, ...updated]) if (id !== provider.awareness.clientID) lastMoved.set(id, now);
    for (const id of removed) lastMoved.delete(id);
    renderCursorCss();
  };
  provider.awareness.on('change', onAwarenessChange);
  renderCursorCss();

  let pendingMarkers: MarkerSpec[] | null = null;
  const applyMarkers = (specs: MarkerSpec[]): void => {
    const lines = model.getLineCount();
    // A run's result can arrive before the shared text has synced (an observer joining after the run):
    // markers past the end wait for the text instead of being dropped.
    pendingMarkers = specs.some((s) => s.line > lines) ? specs : null;
    const markers = specs
      .filter((s) => s.line <= lines)
      .map((s): monaco.editor.IMarkerData => {
        const whole = s.column === null;
        const startColumn = whole ? model.getLineFirstNonWhitespaceColumn(s.line) || 1 : (s.column ?? 1);
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
  };
  const offPending = model.onDidChangeContent(() => {
    if (pendingMarkers) applyMarkers(pendingMarkers);
  });

  return {
    editor,
    setReadOnly(value, message) {
      readOnly = value;
      // A read-only editor never keeps Tab: it moves the focus on, as everywhere else on the page.
      editor.updateOptions({ readOnly: value, tabFocusMode: value, readOnlyMessage: { value: message ?? 'The editor is read-only.' } });
      // The "read-only" bubble shown on a keypress would otherwise outlive the lock (e.g. after Start).
      if (!value) editor.getContribution<{ closeMessage(): void } & monaco.editor.IEditorContribution>('editor.contrib.messageController')?.closeMessage();
    },
    setMarkers: applyMarkers,
    newUndoStep() {
      undoManager.stopCapturing();
    },
    destroy() {
      provider.awareness.off('change', onAwarenessChange);
      offReplace();
      offPending.dispose();
      document.removeEventListener('paste', notePaste, true);
      document.removeEventListener('drop', notePaste, true);
      document.removeEventListener('keydown', noteKey, true);
      clearTimeout(expiry);
      style.remove();
      undoManager.destroy();
      binding.destroy();
      editor.dispose();
      model.dispose();
    },
  };
}
