// A disguised copy of a C file, built the way someone hiding a copy would edit it (issue 21): every
// name the file declares itself renamed, the top-level functions in reverse order (with prototypes
// first, so the copy still compiles) and the whole layout rewritten (Allman braces, tabs, one
// statement per line, braces around every one-statement body as clang-format's InsertBraces puts
// them, comments dropped). Used by the similarity tests on every exercise; the copies of the eight
// references compile and pass all their cases (checked with `npm run cli -- grade SLUG FILE`).
import type { Node } from 'web-tree-sitter';
import { cParser } from '../../server/src/exercises/mutants-generate.ts';

const NAMES = new Set(['identifier', 'field_identifier', 'type_identifier', 'statement_identifier']);
// Written out whole: their children (quotes, escapes) must not be spaced apart.
const ATOMS = new Set(['string_literal', 'char_literal', 'system_lib_string', 'number_literal', 'preproc_arg']);
// Parents in which a name is being declared (as opposed to used).
const DECLARING = new Set([
  'function_declarator',
  'init_declarator',
  'pointer_declarator',
  'array_declarator',
  'parenthesized_declarator',
  'declaration',
  'parameter_declaration',
  'field_declaration',
  'type_definition',
  'enumerator',
  'preproc_def',
  'preproc_function_def',
  'preproc_params',
  'labeled_statement',
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
]);

function leaves(node: Node, out: Node[]): Node[] {
  if (node.type === 'comment') return out;
  if (node.childCount === 0 || ATOMS.has(node.type)) {
    out.push(node);
    return out;
  }
  for (const child of node.children) if (child) leaves(child, out);
  return out;
}

const CONTROL = new Set(['if_statement', 'else_clause', 'for_statement', 'while_statement', 'do_statement']);

/** A body of if/else/for/while/do that is one statement without braces (`else if` excepted). */
function bareBody(node: Node): boolean {
  const parent = node.parent;
  if (!parent || !CONTROL.has(parent.type) || !node.isNamed || node.type === 'compound_statement' || node.type === 'comment') return false;
  if (parent.type === 'else_clause') return node.type !== 'if_statement';
  if (parent.type === 'do_statement') return parent.childForFieldName('body')?.startIndex === node.startIndex;
  return (
    node.type.endsWith('_statement') &&
    parent.childForFieldName('condition')?.startIndex !== node.startIndex &&
    parent.childForFieldName('initializer')?.startIndex !== node.startIndex
  );
}

/** The tokens of `node` as text, with braces added around every bare body. */
function tokensOf(node: Node, text: (leaf: Node) => string, out: string[] = []): string[] {
  if (node.type === 'comment') return out;
  if (node.childCount === 0 || ATOMS.has(node.type)) {
    out.push(text(node));
    return out;
  }
  const braced = bareBody(node);
  if (braced) out.push('{');
  for (const child of node.children) if (child) tokensOf(child, text, out);
  if (braced) out.push('}');
  return out;
}

/** True when `node` is the name being declared, not the declaration's type. */
function declares(node: Node): boolean {
  const parent = node.parent;
  if (!parent || !DECLARING.has(parent.type)) return false;
  if (parent.childForFieldName('type')?.startIndex === node.startIndex) return false;
  // `struct tag` only declares the tag when it has a body.
  if (parent.type.endsWith('_specifier')) return parent.childForFieldName('body') !== null;
  return true;
}

/** Rewrites a token list with a layout of its own: spaces between tokens, Allman braces, tabs. */
function layout(tokens: string[], depth = 0): string {
  let out = '';
  let parens = 0;
  const newline = () => `\n${'\t'.repeat(depth)}`;
  for (const token of tokens) {
    if (token === '(') parens++;
    if (token === ')') parens--;
    if (token === '{') {
      out += `${newline()}{`;
      depth++;
      out += newline();
    } else if (token === '}') {
      depth--;
      out = `${out.trimEnd()}${newline()}}${newline()}`;
    } else if (token === ';' && parens === 0) {
      out = `${out.trimEnd()};${newline()}`;
    } else {
      out += `${token} `;
    }
  }
  return `${out.trimEnd()}\n`;
}

/**
 * The disguised copy of `source`. Names listed in `keep` (the public API, the starter's names) and
 * names the file does not declare (the C library's) are left as they are.
 */
export async function disguise(source: string, keep: ReadonlySet<string>): Promise<string> {
  const tree = (await cParser()).parse(source);
  if (!tree) throw new Error('tree-sitter could not parse the source');
  try {
    const root = tree.rootNode;
    const all = leaves(root, []);
    // A C library function the file calls keeps its name even where a field or a local has it too
    // (`a->free`, then `free(a)`): names are renamed by their text.
    const defined = new Set(all.filter((l) => l.parent?.type === 'function_declarator').map((l) => l.text));
    const library = new Set(all.filter((l) => l.parent?.type === 'call_expression' && !defined.has(l.text)).map((l) => l.text));
    const rename = new Map<string, string>();
    for (const leaf of all) {
      if (NAMES.has(leaf.type) && declares(leaf) && !keep.has(leaf.text) && !library.has(leaf.text) && leaf.text !== 'main' && !rename.has(leaf.text)) {
        rename.set(leaf.text, `q${rename.size}_${leaf.text.length}`);
      }
    }
    const text = (node: Node) => (NAMES.has(node.type) ? (rename.get(node.text) ?? node.text) : node.text);
    const head: string[] = [];
    const prototypes: string[] = [];
    const functions: string[] = [];
    for (const item of root.children) {
      if (!item || item.type === 'comment') continue;
      if (item.type.startsWith('preproc_')) {
        head.push(`${tokensOf(item, text).join(' ')}\n`);
      } else if (item.type === 'function_definition') {
        const body = item.childForFieldName('body')!;
        prototypes.push(
          layout([
            ...leaves(item, [])
              .filter((t) => t.startIndex < body.startIndex)
              .map(text),
            ';',
          ]),
        );
        functions.unshift(layout(tokensOf(item, text)));
      } else {
        head.push(layout(tokensOf(item, text)));
      }
    }
    return [...head, ...prototypes, ...functions].join('\n');
  } finally {
    tree.delete();
  }
}

/**
 * The names a C text makes public (to build the `keep` set from headers and the starter): all it
 * mentions except inside parameter lists and function bodies, whose names are the writer's own.
 */
export async function publicNames(source: string): Promise<Set<string>> {
  const tree = (await cParser()).parse(source);
  if (!tree) return new Set();
  const local = (node: Node | null): boolean => node !== null && (node.type === 'parameter_list' || node.type === 'compound_statement' || local(node.parent));
  try {
    return new Set(
      leaves(tree.rootNode, [])
        .filter((n) => NAMES.has(n.type) && !local(n.parent))
        .map((n) => n.text),
    );
  } finally {
    tree.delete();
  }
}

/** The token count of each function definition (braces aside), in source order (to see that functions moved). */
export async function functionSizes(source: string): Promise<number[]> {
  const tree = (await cParser()).parse(source);
  if (!tree) return [];
  try {
    return tree.rootNode.children.filter((n) => n?.type === 'function_definition').map((n) => leaves(n!, []).filter((l) => l.type !== '{' && l.type !== '}').length);
  } finally {
    tree.delete();
  }
}
