// Completions in the shared editor: the exercise's API (functions, types, constants and macros of
// its public headers, with their comments) and C keywords. Ctrl+Space opens the list.
import type { PublicExercise } from '../../../common/exercise.ts';
import { C_KEYWORDS, headerSymbols, type CSymbol, type SymbolKind } from '../editor/c-symbols.ts';
import { monaco } from '../editor/monaco.ts';

const KIND: Record<SymbolKind, monaco.languages.CompletionItemKind> = {
  function: monaco.languages.CompletionItemKind.Function,
  type: monaco.languages.CompletionItemKind.Struct,
  constant: monaco.languages.CompletionItemKind.EnumMember,
  macro: monaco.languages.CompletionItemKind.Constant,
};

/** `name(${1:a}, ${2:b})`: Tab walks through the arguments. */
function callSnippet(s: CSymbol): string {
  const esc = (t: string): string => t.replace(/[$}\\]/g, '\\$&');
  return `${s.name}(${(s.params ?? []).map((p, i) => `\${${i + 1}:${esc(p)}}`).join(', ')})`;
}

/** Registers the provider for the room's model only; returns its disposer. */
export function registerCompletions(model: monaco.editor.ITextModel, exercise: PublicExercise): monaco.IDisposable {
  const symbols = headerSymbols(exercise.headers);
  return monaco.languages.registerCompletionItemProvider('c', {
    provideCompletionItems(m, position) {
      if (m !== model) return { suggestions: [] };
      const word = m.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const api = symbols.map((s): monaco.languages.CompletionItem => ({
        label: { label: s.name, description: s.header },
        kind: KIND[s.kind],
        detail: s.detail,
        documentation: s.doc || undefined,
        insertText: s.kind === 'function' ? callSnippet(s) : s.name,
        insertTextRules: s.kind === 'function' ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
        sortText: `0${s.name}`, // the exercise's API before keywords
        range,
      }));
      const keywords = C_KEYWORDS.map((k): monaco.languages.CompletionItem => ({
        label: k,
        kind: monaco.languages.CompletionItemKind.Keyword,
        insertText: k,
        sortText: `1${k}`,
        range,
      }));
      return { suggestions: [...api, ...keywords] };
    },
  });
}
