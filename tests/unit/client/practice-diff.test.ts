// The report's diff against the previous attempt: line numbers on each side, counts, and long
// unchanged stretches folded so that a one-line change does not print the whole file twice.
import { describe, expect, it } from 'vitest';
import { diffRows } from '../../../client/src/practice/diff-view.ts';

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_v, i) => `${prefix} ${i + 1}\n`).join('');

describe('diffRows', () => {
  it('numbers each side and counts added and removed lines', () => {
    const { rows, added, removed } = diffRows('a\nb\nc\n', 'a\nB\nc\nd\n');
    expect({ added, removed }).toEqual({ added: 2, removed: 1 });
    expect(rows).toEqual([
      { kind: 'same', oldLine: 1, newLine: 1, text: 'a' },
      { kind: 'del', oldLine: 2, newLine: null, text: 'b' },
      { kind: 'add', oldLine: null, newLine: 2, text: 'B' },
      { kind: 'same', oldLine: 3, newLine: 3, text: 'c' },
      { kind: 'add', oldLine: null, newLine: 4, text: 'd' },
    ]);
  });

  it('keeps three lines of context around a change and folds the rest', () => {
    const before = lines(40);
    const after = before.replace('line 20\n', 'line twenty\n');
    const { rows } = diffRows(before, after);
    expect(rows.map((r) => (r.kind === 'fold' ? r.text : `${r.kind} ${r.text}`))).toEqual([
      '16 unchanged lines',
      'same line 17',
      'same line 18',
      'same line 19',
      'del line 20',
      'add line twenty',
      'same line 21',
      'same line 22',
      'same line 23',
      '17 unchanged lines',
    ]);
  });

  it('reports no change for equal texts, and handles a missing final newline', () => {
    expect(diffRows('x\ny\n', 'x\ny\n')).toMatchObject({ added: 0, removed: 0 });
    expect(diffRows('x', 'x\ny')).toMatchObject({ added: 2, removed: 1 }); // "x" without a newline is a different line
    expect(diffRows('', 'int main;\n').rows).toEqual([{ kind: 'add', oldLine: null, newLine: 1, text: 'int main;' }]);
  });
});
