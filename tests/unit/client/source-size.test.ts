// The browser's side of the source limit: the size it counts is the server's, the edit that takes
// a refused change back out of Monaco is the smallest one, and the dialog after a refusal offers
// exactly the files whose text this browser had differently.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SCRATCH_TEXT } from '../../../common/console.ts';
import { DOC_TEXT } from '../../../common/protocol.ts';
import { docSourceBytes, minimalEdit } from '../../../client/src/editor/source-size.ts';
import { lostFiles } from '../../../client/src/room/restored-dialog.ts';
import { SessionDoc, sourceBytes } from '../../../server/src/sessions/doc.ts';

function apply(from: string, edit: ReturnType<typeof minimalEdit>): string {
  return edit ? from.slice(0, edit.start) + edit.text + from.slice(edit.end) : from;
}

describe('docSourceBytes', () => {
  it('counts solution and scratch file together in UTF-8, as the server does', () => {
    const doc = new Y.Doc();
    doc.getText(DOC_TEXT).insert(0, 'int x; // café €\n');
    doc.getText(SCRATCH_TEXT).insert(0, 'int main(void) { return 0; } // 🙂\n');
    const server = new SessionDoc();
    Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(doc));
    expect(docSourceBytes(doc)).toBe(new TextEncoder().encode(doc.getText(DOC_TEXT).toString() + doc.getText(SCRATCH_TEXT).toString()).length);
    expect(docSourceBytes(doc)).toBe(sourceBytes(server.doc));
  });
});

describe('minimalEdit', () => {
  it('replaces only what differs', () => {
    expect(minimalEdit('same', 'same')).toBeNull();
    expect(minimalEdit('int main() { BIG PASTE return 0; }', 'int main() { return 0; }')).toEqual({ start: 13, end: 23, text: '' });
    expect(minimalEdit('abc', 'aXbc')).toEqual({ start: 1, end: 1, text: 'X' });
    expect(minimalEdit('aaaa', 'aa')).toEqual({ start: 2, end: 4, text: '' });
    expect(minimalEdit('', 'new')).toEqual({ start: 0, end: 0, text: 'new' });
  });

  it('always turns the one text into the other', () => {
    const texts = ['', 'a', 'ab', 'ba', 'aaa', 'abcabc', 'x🙂y', '🙂', 'line\nline\n', 'abab'];
    for (const from of texts) for (const to of texts) expect(apply(from, minimalEdit(from, to)), `${from} -> ${to}`).toBe(to);
  });
});

describe('lostFiles', () => {
  it('lists each file whose local text differs from the restored copy, with the local text', () => {
    const server = new Y.Doc();
    server.getText(DOC_TEXT).insert(0, 'saved solution');
    server.getText(SCRATCH_TEXT).insert(0, 'saved scratch');
    const previous = new Y.Doc();
    Y.applyUpdate(previous, Y.encodeStateAsUpdate(server));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    const error = { code: 'too_large' as const, message: 'full' };
    expect(lostFiles({ error, previous, doc })).toEqual([]);
    previous.getText(DOC_TEXT).insert(0, 'refused paste ');
    expect(lostFiles({ error, previous, doc })).toEqual([{ name: 'solution.c', text: 'refused paste saved solution' }]);
    previous.getText(SCRATCH_TEXT).delete(0, 6);
    expect(lostFiles({ error, previous, doc }).map((f) => f.name)).toEqual(['solution.c', 'scratch.c']);
  });
});
