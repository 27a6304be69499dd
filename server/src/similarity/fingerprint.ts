// Fingerprints of C source for a similarity check, as in Moss (Schleimer, Wilkerson and Aiken,
// "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003):
// 1. tokens from tree-sitter's C grammar, comments and layout dropped, identifiers and literals
//    replaced by their kind, braces around a one-statement body dropped, so renaming and
//    reformatting (clang-format's InsertBraces included) change nothing;
// 2. a hash of every k consecutive tokens (a k-gram) within one top-level item (a function, a
//    declaration), so that reordering functions changes nothing either (Moss hashes across them);
// 3. winnowing: in every window of w consecutive k-gram hashes keep the smallest (rightmost on a
//    tie). Any shared run of at least w + k - 1 tokens is then guaranteed to share a fingerprint,
//    and runs shorter than k tokens never are (noise threshold).
// No socket or http imports: the store and the board call these functions. Changing what a source
// yields means bumping FINGERPRINT_VERSION (./version.ts), so that stored rows are computed anew.
import type { Node } from 'web-tree-sitter';
import { cParser } from '../exercises/mutants-generate.ts';

/** k: tokens per k-gram. 15 normalised tokens is about two short C statements (measured on
 * ring-buffer: at 12 two unrelated array solutions share 0.41 through `if (n == 0) return false;
 * *out = a[i]; return true;` shapes, at 15 0.29; at 18 short functions give no k-gram at all). */
export const K = 15;
/** w: window of the winnowing. Guarantees detection of shared runs of K + W - 1 = 22 tokens. */
export const W = 8;

export interface Token {
  /** The normalised text: `I` for an identifier, `N` a number, `S` a string, `C` a character. */
  text: string;
  /** 1-based source line. */
  line: number;
  /** Which top-level item (function, declaration, #include...) the token belongs to. */
  unit: number;
}

/** One fingerprint: a k-gram hash and the lines its k tokens span. */
export interface Fingerprint {
  hash: number;
  startLine: number;
  endLine: number;
}

/** A k-gram before winnowing: a fingerprint and the top-level item it lies in. */
export interface Gram extends Fingerprint {
  unit: number;
}

// Identifiers of every kind become one token: a renamed variable, field, type or function must not
// change the stream. Primitive types (int, size_t is an identifier here) and keywords stay as written.
const IDENTIFIERS = new Set(['identifier', 'field_identifier', 'type_identifier', 'statement_identifier']);
// Literals are replaced whole (a string's quotes and escapes are children of string_literal).
const LITERALS: Record<string, string> = {
  number_literal: 'N',
  string_literal: 'S',
  concatenated_string: 'S',
  char_literal: 'C',
  system_lib_string: 'S',
  true: 'N',
  false: 'N',
  null: 'N',
};

/** The normalised token stream of `source`; comments and whitespace leave no token. */
export async function tokenize(source: string): Promise<Token[]> {
  const tree = (await cParser()).parse(source);
  if (!tree) return [];
  const tokens: Token[] = [];
  // Iterative walk: a deeply nested expression must not overflow the JS stack.
  // Each top-level item is its own unit: k-grams never span two, so reordering functions changes nothing.
  const stack: { node: Node; unit: number }[] = [];
  for (let i = tree.rootNode.childCount - 1; i >= 0; i--) {
    const child = tree.rootNode.child(i);
    if (child) stack.push({ node: child, unit: i });
  }
  try {
    while (stack.length > 0) {
      const { node, unit } = stack.pop()!;
      const type = node.type;
      if (type === 'comment') continue;
      const line = node.startPosition.row + 1;
      const literal = LITERALS[type];
      if (literal !== undefined) {
        tokens.push({ text: literal, line, unit });
        continue;
      }
      if (optionalBraces(node)) {
        // `if (x) { y; }` and `if (x) y;` are one statement in two layouts (clang-format's
        // InsertBraces turns one into the other): the braces leave no token.
        for (let i = node.childCount - 2; i >= 1; i--) {
          const child = node.child(i);
          if (child) stack.push({ node: child, unit });
        }
        continue;
      }
      if (node.childCount === 0) {
        if (IDENTIFIERS.has(type)) tokens.push({ text: 'I', line, unit });
        else if (node.text.trim() !== '') tokens.push({ text: node.text, line, unit });
        continue;
      }
      for (let i = node.childCount - 1; i >= 0; i--) {
        const child = node.child(i);
        if (child) stack.push({ node: child, unit });
      }
    }
  } finally {
    tree.delete();
  }
  return tokens;
}

// Statements whose body may be one statement without braces.
const BRACE_OPTIONAL = new Set(['if_statement', 'else_clause', 'for_statement', 'while_statement', 'do_statement']);

/** A `{ ... }` body of if/else/for/while/do holding exactly one statement (comments aside). */
function optionalBraces(node: Node): boolean {
  if (node.type !== 'compound_statement' || !node.parent || !BRACE_OPTIONAL.has(node.parent.type)) return false;
  const statements = node.namedChildren.filter((c) => c !== null && c.type !== 'comment');
  return statements.length === 1 && statements[0]!.type !== 'declaration' && node.child(0)?.type === '{' && node.child(node.childCount - 1)?.type === '}';
}

// FNV-1a over the k tokens, 32 bits: collisions between two files' few hundred k-grams are rare
// enough (about 1 in 10^5 per pair of fingerprints) to stay far below the threshold.
function hashTokens(tokens: Token[], start: number, k: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + k; i++) {
    const text = tokens[i]!.text;
    for (let j = 0; j < text.length; j++) {
      h ^= text.charCodeAt(j);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // separator, so that "a" "bc" differs from "ab" "c"
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Every k-gram of the stream within one top-level item, hashed, with its line span. */
export function kgrams(tokens: Token[], k = K): Gram[] {
  const grams: Gram[] = [];
  for (let i = 0; i + k <= tokens.length; i++) {
    const unit = tokens[i]!.unit;
    if (tokens[i + k - 1]!.unit !== unit) continue;
    grams.push({ hash: hashTokens(tokens, i, k), startLine: tokens[i]!.line, endLine: tokens[i + k - 1]!.line, unit });
  }
  return grams;
}

/**
 * Winnowing with window w within each top-level item: the minimum of each window, each selected
 * position recorded once. An item with fewer than w k-grams still gives its minimum.
 */
export function winnow(grams: Gram[], w = W): Fingerprint[] {
  const picked: Fingerprint[] = [];
  for (let from = 0; from < grams.length;) {
    let to = from;
    while (to < grams.length && grams[to]!.unit === grams[from]!.unit) to++;
    const window = Math.min(w, to - from);
    let last = -1;
    for (let start = from; start + window <= to; start++) {
      let min = start;
      for (let i = start + 1; i < start + window; i++) if (grams[i]!.hash <= grams[min]!.hash) min = i;
      if (min !== last) {
        const { hash, startLine, endLine } = grams[min]!;
        picked.push({ hash, startLine, endLine });
        last = min;
      }
    }
    from = to;
  }
  return picked;
}

/**
 * Everything every solution of an exercise shares by construction: all k-gram hashes (not only the
 * winnowed ones) of the starter and of the public headers. A fingerprint found here says nothing.
 */
export async function baseline(texts: string[]): Promise<Set<number>> {
  const hashes = new Set<number>();
  for (const text of texts) for (const gram of kgrams(await tokenize(text))) hashes.add(gram.hash);
  return hashes;
}

/** The fingerprints of a submission, without those of the baseline. */
export async function fingerprint(source: string, base: ReadonlySet<number>): Promise<Fingerprint[]> {
  return winnow(kgrams(await tokenize(source))).filter((f) => !base.has(f.hash));
}
