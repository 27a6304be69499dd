// Monaco, the lean way: the editor core with its usual features, only the C language, and the
// one base worker C needs. y-monaco imports editor.api.js, the same module instance as here.
import 'monaco-editor/esm/vs/editor/edcore.main.js';
import 'monaco-editor/esm/vs/basic-languages/cpp/cpp.contribution.js';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';

self.MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

/** colorizeElement() resets the global theme to its own option: always pass this one. */
export const EDITOR_THEME = 'interview-dark';

monaco.editor.defineTheme(EDITOR_THEME, {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0f1720',
    'editor.lineHighlightBackground': '#17212c',
    'editorGutter.background': '#0f1720',
    // Line numbers readable at 4.5:1 (WCAG AA), the dimmed ones (past the end) included.
    'editorLineNumber.foreground': '#8f9cab',
    'editorLineNumber.dimmedForeground': '#7d8b99',
  },
});

export { monaco };
