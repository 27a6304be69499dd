// Mutants of a C file: small, plausible mistakes, each one textual edit at the byte range of a node
// found by tree-sitter's C grammar (never by pattern matching over the text). Used to measure how
// well an exercise's tests catch mistakes in the reference solution.
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

export type MutantOperator =
  | 'relational' // a comparison becomes another one, or a constant truth value
  | 'bound' // the right side of < <= > >= moves by one
  | 'constant' // an integer literal moves by one
  | 'condition' // the condition of an if, a loop or a ?: is replaced by 1 or 0
  | 'negation' // a `!` is dropped
  | 'statement' // an expression statement, break, continue or return is removed
  | 'logical' // && and || swap
  | 'arithmetic' // + - * / % and ++ -- swap, also in compound assignments
  | 'bitwise' // & | ^ << >> swap, also in compound assignments
  | 'width'; // a declared or cast integer type becomes narrower

export interface Mutant {
  /** Stable name for reviewers: operator:line:original->replacement, plus #n when a line repeats it. */
  id: string;
  operator: MutantOperator;
  /** 1-based line of the edit in the original file. */
  line: number;
  /** Range of the edit in the original text (string indices). */
  start: number;
  end: number;
  original: string;
  replacement: string;
  /** The whole mutated file. */
  source: string;
}

/** An edit found in the tree, kept as plain numbers: the tree's nodes die with the tree. */
interface Edit {
  operator: MutantOperator;
  start: number;
  end: number;
  line: number;
  replacement: string;
  /** The enclosing expression, named in the id so that `<` alone does not have to tell which. */
  context: { start: number; end: number };
}

function edit(operator: MutantOperator, node: Node, replacement: string, context: Node = node): Edit {
  return { operator, start: node.startIndex, end: node.endIndex, line: node.startPosition.row + 1, replacement, context: { start: context.startIndex, end: context.endIndex } };
}

// The "sufficient" relational replacements of Kaminski, Ammann and Offutt (2011): killing these
// three mutants of a comparison kills the other four operator swaps as well, for a third of the runs.
const RELATIONAL: Record<string, { swaps: string[]; constant: string }> = {
  '<': { swaps: ['<=', '!='], constant: '0' },
  '>': { swaps: ['>=', '!='], constant: '0' },
  '<=': { swaps: ['<', '=='], constant: '1' },
  '>=': { swaps: ['>', '=='], constant: '1' },
  '==': { swaps: ['<=', '>='], constant: '0' },
  '!=': { swaps: ['<', '>'], constant: '1' },
};
const LOGICAL: Record<string, string> = { '&&': '||', '||': '&&' };
const ARITHMETIC: Record<string, string> = { '+': '-', '-': '+', '*': '/', '/': '*', '%': '/', '+=': '-=', '-=': '+=', '*=': '/=', '/=': '*=', '%=': '/=' };
const BITWISE: Record<string, string> = { '&': '|', '|': '&', '^': '&', '<<': '>>', '>>': '<<', '&=': '|=', '|=': '&=', '^=': '&=', '<<=': '>>=', '>>=': '<<=' };
// Narrower integer types. size_t is left alone: it is already 32 bits on wasm32, and nobody
// narrows an index to 16 bits by mistake.
const NARROWER: Record<string, string> = {
  int64_t: 'int32_t',
  uint64_t: 'uint32_t',
  int32_t: 'int16_t',
  uint32_t: 'uint16_t',
  'long long': 'int',
  'long long int': 'int',
  'unsigned long long': 'unsigned',
  'unsigned long long int': 'unsigned',
  int: 'short',
  unsigned: 'unsigned short',
  'unsigned int': 'unsigned short',
};
// Operands that need no parentheses before `+ 1`.
const PRIMARY = new Set(['identifier', 'field_expression', 'call_expression', 'subscript_expression', 'parenthesized_expression', 'number_literal', 'char_literal']);

let parserPromise: Promise<Parser> | undefined;

/** One C parser per process: web-tree-sitter with the grammar's WebAssembly build. */
export function cParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const grammar = createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(grammar));
    return parser;
  })();
  return parserPromise;
}

/** True when tree-sitter parses `source` without an error or a missing node. */
export async function parsesCleanly(source: string): Promise<boolean> {
  const tree = (await cParser()).parse(source);
  if (!tree) return false;
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
  }
}

/** An integer literal's value and how to print a neighbour in the same base; undefined for floats and octal. */
function integerLiteral(text: string): { value: bigint; print: (value: bigint) => string } | undefined {
  let end = text.length;
  while (end > 0 && 'uUlL'.includes(text[end - 1]!)) end--;
  const digits = text.slice(0, end);
  const suffix = text.slice(end);
  const hex = digits.startsWith('0x') || digits.startsWith('0X');
  const body = hex ? digits.slice(2) : digits;
  const allowed = hex ? '0123456789abcdefABCDEF' : '0123456789';
  if (!body.length || [...body].some((c) => !allowed.includes(c))) return undefined;
  if (!hex && body.length > 1 && body.startsWith('0')) return undefined; // octal: rare, skip
  const value = BigInt(hex ? `0x${body}` : body);
  const print = (n: bigint) => (n < 0n ? '-' : '') + (hex ? `0x${(n < 0n ? -n : n).toString(16)}` : (n < 0n ? -n : n).toString()) + suffix;
  return { value, print };
}

function binaryEdits(node: Node, edits: Edit[]): void {
  const operator = node.childForFieldName('operator');
  if (!operator) return;
  const op = operator.type;
  const relational = RELATIONAL[op];
  if (relational) {
    for (const swap of relational.swaps) edits.push(edit('relational', operator, swap, node));
    edits.push(edit('relational', node, relational.constant));
    const right = node.childForFieldName('right');
    // Off-by-one in a bound: only for ordering comparisons with a computed right side (a literal
    // right side is already covered by the constant operator).
    if (right && ['<', '<=', '>', '>='].includes(op) && right.type !== 'number_literal' && right.type !== 'char_literal') {
      const text = PRIMARY.has(right.type) ? right.text : `(${right.text})`;
      edits.push(edit('bound', right, `${text} + 1`, node));
      edits.push(edit('bound', right, `${text} - 1`, node));
    }
  }
  if (LOGICAL[op]) edits.push(edit('logical', operator, LOGICAL[op], node));
  if (ARITHMETIC[op]) edits.push(edit('arithmetic', operator, ARITHMETIC[op], node));
  if (BITWISE[op]) edits.push(edit('bitwise', operator, BITWISE[op], node));
}

function assignmentEdits(node: Node, edits: Edit[]): void {
  const operator = node.childForFieldName('operator');
  if (!operator) return;
  const op = operator.type;
  if (ARITHMETIC[op]) edits.push(edit('arithmetic', operator, ARITHMETIC[op], node));
  if (BITWISE[op]) edits.push(edit('bitwise', operator, BITWISE[op], node));
}

/** The last statement of the function body that holds `node`, if `node` is one. */
function isLastStatementOfFunction(node: Node): boolean {
  const body = node.parent;
  if (body?.type !== 'compound_statement' || body.parent?.type !== 'function_definition') return false;
  const statements = body.namedChildren.filter((child) => child.type !== 'comment');
  const last = statements[statements.length - 1];
  return last !== undefined && last.equals(node);
}

function statementEdits(node: Node, edits: Edit[]): void {
  // Removing the final return would make a non-void function fall off its end (undefined
  // behaviour, not a plausible mistake) and is a no-op in a void one.
  if (node.type === 'return_statement' && isLastStatementOfFunction(node)) return;
  if (node.type === 'expression_statement' && node.namedChildCount === 0) return; // already empty
  // Keep the line count, so that the lines of later code (and their mutant ids) do not move.
  const newlines = node.text.split('\n').length - 1;
  edits.push(edit('statement', node, ';' + '\n'.repeat(newlines)));
}

function conditionEdits(node: Node, edits: Edit[]): void {
  const condition = node.childForFieldName('condition');
  if (!condition) return;
  const wrap = (value: string) => (condition.type === 'parenthesized_expression' ? `(${value})` : value);
  // A loop whose condition is always true usually never ends; each case would then wait for
  // the time limit. Loops get only the "never runs" mutant.
  if (node.type === 'if_statement' || node.type === 'conditional_expression') edits.push(edit('condition', condition, wrap('1')));
  if (node.type !== 'do_statement') edits.push(edit('condition', condition, wrap('0')));
}

function widthEdits(type: Node | null, edits: Edit[]): void {
  if (!type) return;
  // `unsigned long long` is several tokens: name it by its tokens, whatever the spacing.
  const name = type.childCount ? type.children.map((token) => token.text).join(' ') : type.text;
  const narrower = NARROWER[name];
  if (narrower) edits.push(edit('width', type, narrower));
}

function collectEdits(node: Node, edits: Edit[]): void {
  switch (node.type) {
    case 'binary_expression':
      binaryEdits(node, edits);
      break;
    case 'assignment_expression':
      assignmentEdits(node, edits);
      break;
    case 'update_expression': {
      const operator = node.children.find((child) => child.type === '++' || child.type === '--');
      if (operator) edits.push(edit('arithmetic', operator, operator.type === '++' ? '--' : '++', node));
      break;
    }
    case 'unary_expression': {
      const argument = node.childForFieldName('argument');
      if (node.childForFieldName('operator')?.type === '!' && argument) edits.push(edit('negation', node, argument.text));
      break;
    }
    case 'number_literal': {
      const literal = integerLiteral(node.text);
      if (literal) {
        const context = node.parent?.type === 'binary_expression' ? node.parent : node;
        edits.push(edit('constant', node, literal.print(literal.value + 1n), context));
        edits.push(edit('constant', node, literal.print(literal.value - 1n), context));
      }
      break;
    }
    case 'if_statement':
    case 'while_statement':
    case 'for_statement':
    case 'do_statement':
    case 'conditional_expression':
      conditionEdits(node, edits);
      break;
    case 'expression_statement':
    case 'break_statement':
    case 'continue_statement':
    case 'return_statement':
      statementEdits(node, edits);
      break;
    case 'declaration':
      // Variables only: changing a prototype's types would just fail to compile.
      if (!node.childrenForFieldName('declarator').some((d) => d.type === 'function_declarator')) widthEdits(node.childForFieldName('type'), edits);
      break;
    case 'cast_expression':
      widthEdits(node.childForFieldName('type')?.namedChildren.find((c) => c.type === 'primitive_type' || c.type === 'sized_type_specifier') ?? null, edits);
      break;
  }
  for (const child of node.namedChildren) collectEdits(child, edits);
}

function oneLine(text: string): string {
  return text.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * Every mutant of `source`, in source order. Mutants whose text equals the original or an earlier
 * mutant are dropped, and so is any edit that would not parse (none is expected).
 */
export async function generateMutants(source: string): Promise<Mutant[]> {
  const parser = await cParser();
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter could not parse the file');
  const edits: Edit[] = [];
  try {
    if (tree.rootNode.hasError) throw new Error('the file does not parse as C');
    collectEdits(tree.rootNode, edits);
  } finally {
    tree.delete();
  }
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const seen = new Set<string>([source]);
  const ids = new Map<string, number>();
  const mutants: Mutant[] = [];
  for (const found of edits) {
    const { start, end, line } = found;
    const mutated = source.slice(0, start) + found.replacement + source.slice(end);
    if (seen.has(mutated) || !(await parsesCleanly(mutated))) continue;
    seen.add(mutated);
    const original = source.slice(start, end);
    const { start: from, end: to } = found.context;
    const before = source.slice(from, to);
    const after = source.slice(from, start) + found.replacement + source.slice(end, to);
    const base = `${found.operator}:${line}:${oneLine(before)}->${oneLine(after)}`;
    const occurrence = (ids.get(base) ?? 0) + 1;
    ids.set(base, occurrence);
    const id = occurrence === 1 ? base : `${base}#${occurrence}`;
    mutants.push({ id, operator: found.operator, line, start, end, original, replacement: found.replacement, source: mutated });
  }
  return mutants;
}
