// The names an exercise's public headers declare (functions, types, constants, macros), for the
// editor's completions. A small scanner for the plain headers exercises ship, not a C parser.
// Pure (no Monaco), so it is unit-tested.

export type SymbolKind = 'function' | 'type' | 'constant' | 'macro';

export interface CSymbol {
  name: string;
  kind: SymbolKind;
  /** The declaration as written, e.g. "bool ring_push(ring_t *r, int32_t value)". */
  detail: string;
  /** The comment just above the declaration, if any. */
  doc: string;
  /** Parameter names of a function, for a call snippet ([] for `(void)`). */
  params?: string[];
  header: string;
}

export const C_KEYWORDS = [
  'auto',
  'break',
  'case',
  'char',
  'const',
  'continue',
  'default',
  'do',
  'double',
  'else',
  'enum',
  'extern',
  'float',
  'for',
  'goto',
  'if',
  'inline',
  'int',
  'long',
  'register',
  'restrict',
  'return',
  'short',
  'signed',
  'sizeof',
  'static',
  'struct',
  'switch',
  'typedef',
  'union',
  'unsigned',
  'void',
  'volatile',
  'while',
  'bool',
  'true',
  'false',
  'NULL',
  'size_t',
  'int32_t',
  'uint32_t',
  'int64_t',
  'uint64_t',
  'uint8_t',
  'uint16_t',
  'int8_t',
  'int16_t',
  'uintptr_t',
];

const stripComments = (s: string): string => s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The comment that ends right before `at` (only whitespace between), cleaned of its markers. */
function commentBefore(source: string, at: number): string {
  const before = source.slice(0, at).trimEnd();
  if (before.endsWith('*/')) {
    const start = before.lastIndexOf('/*');
    // Only a comment on lines of its own: a trailing comment belongs to the line it ends.
    const lineStart = before.lastIndexOf('\n', start) + 1;
    if (start >= 0 && before.slice(lineStart, start).trim() === '') return squash(before.slice(start + 2, -2).replace(/^\s*\*/gm, ' '));
    return '';
  }
  const lines = before.split('\n');
  const doc: string[] = [];
  while (lines.length > 0 && /^\s*\/\//.test(lines.at(-1) ?? '')) doc.unshift((lines.pop() ?? '').replace(/^\s*\/\/\s?/, ''));
  return squash(doc.join(' '));
}

export function headerSymbols(headers: Record<string, string>): CSymbol[] {
  const out = new Map<string, CSymbol>();
  const add = (s: CSymbol): void => {
    if (!out.has(s.name)) out.set(s.name, s);
  };
  for (const [header, source] of Object.entries(headers)) {
    for (const m of source.matchAll(/^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*([^\n]*)/gm)) {
      const name = m[1] ?? '';
      if (/_H_?$/.test(name) && !m[3]?.trim()) continue; // include guard
      add({
        name,
        kind: 'macro',
        detail: squash(`#define ${name}${m[2] ?? ''} ${stripComments(m[3] ?? '')}`),
        doc: squash(/\/\*(.*?)\*\//.exec(m[3] ?? '')?.[1] ?? '') || commentBefore(source, m.index ?? 0),
        header,
      });
    }
    // Comment-free text keeps its length so positions map back to the original for the docs.
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' ')).replace(/^[ \t]*#[^\n]*/gm, (d) => ' '.repeat(d.length));
    for (const m of code.matchAll(/\benum\b[^{;]*\{([^}]*)\}/g)) {
      for (const item of (m[1] ?? '').split(',')) {
        const name = /^\s*([A-Za-z_]\w*)/.exec(item)?.[1];
        if (name) add({ name, kind: 'constant', detail: squash(item), doc: '', header });
      }
    }
    for (const m of code.matchAll(/\btypedef\b([^;{]*(\{(?:[^{}]|\{[^{}]*\})*\})?[^;]*?)\b([A-Za-z_]\w*)\s*;/g)) {
      const name = m[3] ?? '';
      add({ name, kind: 'type', detail: squash(`typedef ${(m[1] ?? '').replace(/\{[\s\S]*\}/, '{ … }')} ${name}`), doc: commentBefore(source, m.index ?? 0), header });
    }
    // A function pointer type: typedef int (*name)(args);
    for (const m of code.matchAll(/\btypedef\b[^;{]*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\([^;]*\)\s*;/g)) {
      add({ name: m[1] ?? '', kind: 'type', detail: squash(m[0].slice(0, -1)), doc: commentBefore(source, m.index ?? 0), header });
    }
    for (const m of code.matchAll(/\b(struct|union|enum)\s+([A-Za-z_]\w*)/g)) add({ name: m[2] ?? '', kind: 'type', detail: `${m[1]} ${m[2]}`, doc: '', header });
    // A prototype: return type and name, one parameter list, then `;` (declarations only, no bodies).
    for (const m of code.matchAll(/(?<=^|[;}])()\s*([A-Za-z_][\w\s*]*?)\b([A-Za-z_]\w*)\s*\(([^()]*)\)\s*;/g)) {
      const lead = m[2] ?? '';
      if (/\btypedef\b/.test(lead) || lead.trim() === '' || /\breturn\b/.test(lead)) continue;
      const name = m[3] ?? '';
      const paramsText = squash(m[4] ?? '');
      const params =
        paramsText === 'void' || paramsText === '' ? [] : paramsText.split(',').map((p, i) => /([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$/.exec(p.trim())?.[1] ?? `arg${i + 1}`);
      // The blanked text keeps positions, so the declaration's first token is at the same index in the source.
      const start = (m.index ?? 0) + (m[0].length - m[0].trimStart().length);
      add({ name, kind: 'function', detail: squash(`${lead}${name}(${paramsText})`), doc: commentBefore(source, start), params, header });
    }
  }
  return [...out.values()];
}
