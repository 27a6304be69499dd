// The history module: seeking must give exactly what a straightforward full replay gives, at any
// instant and in any order, and attribute each character to whoever typed it.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { History, encodeDoc, materializeText } from '../../../server/src/history/index.ts';
import { fullReplay, random, syntheticSession } from '../../support/synthetic.ts';

describe.each([
  ['typing at a cursor', false],
  ['every edit at a random place', true],
])('History.seek, %s', (_what, scatter) => {
  const session = syntheticSession(3_000, { seed: 7, scatter });
  const history = new History(session.updates, 100);

  it('matches a full replay at 200 random instants, seeking back and forth', () => {
    const rnd = random(42);
    for (let n = 0; n < 200; n++) {
      const index = Math.floor(rnd() * session.updates.length);
      expect(history.seek(index).text, `index ${index}`).toBe(fullReplay(session.updates, index));
    }
  });

  it('plays forward one update at a time like the full replay', () => {
    for (let index = 0; index < 250; index++) expect(history.seek(index).text).toBe(fullReplay(session.updates, index));
  });

  it('clamps out-of-range seeks: before the first update is empty, past the end is the final text', () => {
    expect(history.seek(-5).text).toBe('');
    expect(history.seek(1e9).text).toBe(fullReplay(session.updates, session.updates.length - 1));
  });

  it('finds the update at a time and by id', () => {
    const u = session.updates[500]!;
    expect(history.indexAt(u.at)).toBeGreaterThanOrEqual(500);
    expect(session.updates[history.indexAt(u.at)]!.at).toBe(u.at);
    expect(history.indexAt(session.updates[0]!.at - 1)).toBe(-1);
    expect(history.indexOfId(u.id)).toBe(500);
  });

  it('attributes text to its author: spans cover the text exactly, starter to the server', () => {
    const at = history.seek(session.updates.length - 1);
    expect(at.spans[0]?.start).toBe(0);
    expect(at.spans.at(-1)?.end).toBe(at.text.length);
    for (let i = 1; i < at.spans.length; i++) expect(at.spans[i]!.start).toBe(at.spans[i - 1]!.end);
    expect(new Set(at.spans.map((s) => s.author))).toEqual(new Set([null, 'p_a', 'p_b']));
    expect(history.seek(0).spans).toEqual([{ start: 0, end: session.starter.length, author: null }]);
  });

  it('attributes a paste to the participant who pasted it', () => {
    const a = new Y.Doc();
    a.getText('code').insert(0, 'int x;\n');
    const first = Y.encodeStateAsUpdate(a);
    const b = new Y.Doc();
    Y.applyUpdate(b, first);
    let pasted: Uint8Array | null = null;
    b.once('update', (u: Uint8Array) => (pasted = u));
    b.getText('code').insert(7, 'int y;\n');
    const h = new History([
      { id: 1, at: 1, participantId: 'alice', bytes: first },
      { id: 2, at: 2, participantId: 'bob', bytes: pasted! },
    ]);
    expect(h.seek(1).spans).toEqual([
      { start: 0, end: 7, author: 'alice' },
      { start: 7, end: 14, author: 'bob' },
    ]);
  });

  it('refuses a log whose ids do not increase', () => {
    const [a, b] = session.updates;
    expect(() => new History([b!, a!])).toThrow(/increase/);
  });
});

describe('pasted text', () => {
  /** Updates of one author typing `before`, pasting `paste` at the end, then typing `after` right behind it and editing inside the paste. */
  function session(before: string, paste: string, after: string) {
    const doc = new Y.Doc();
    const text = doc.getText('code');
    const log: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => log.push(u));
    for (const ch of before) text.insert(text.length, ch);
    text.insert(text.length, paste); // one update: the paste
    for (const ch of after) text.insert(text.length, ch);
    text.delete(before.length + 2, 1); // an edit inside the pasted text
    return log.map((bytes, i) => ({ id: i + 1, at: i, participantId: 'ada', bytes }));
  }

  it('tags what a paste inserted, even where Yjs merged it with typed text, and follows edits inside it', () => {
    const updates = session('ab', 'PASTED', 'cd');
    const h = new History(updates, 4);
    const pasteIndex = 2;
    expect(h.insertedLength(pasteIndex)).toBe(6);
    expect(h.insertedLength(0)).toBe(1);
    h.markPasted([pasteIndex]);
    const end = h.seek(updates.length - 1);
    expect(end.text).toBe('abPATEDcd');
    expect(end.spans).toEqual([
      { start: 0, end: 2, author: 'ada' },
      { start: 2, end: 7, author: 'ada', pasted: pasteIndex },
      { start: 7, end: 9, author: 'ada' },
    ]);
    // From a checkpoint too, and before the paste nothing is tagged.
    expect(h.seek(0).spans).toEqual([{ start: 0, end: 1, author: 'ada' }]);
    expect(h.seek(updates.length - 1).spans).toEqual(end.spans);
    h.markPasted([]);
    expect(h.seek(updates.length - 1).spans).toEqual([{ start: 0, end: 9, author: 'ada' }]);
  });
});

describe('materialize', () => {
  it('a snapshot plus the later updates equals the full replay; updates inside the snapshot are skipped', () => {
    const { updates } = syntheticSession(400, { seed: 3 });
    const snap = encodeDoc(undefined, updates.slice(0, 150));
    expect(snap.lastUpdateId).toBe(updates[149]!.id);
    expect(materializeText(snap, updates.slice(100))).toBe(fullReplay(updates, updates.length - 1));
  });
});
