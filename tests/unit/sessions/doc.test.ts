import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../common/protocol.ts';
import { SessionDoc, checkUpdate, parseSyncMessage, sourceBytes, starterUpdate } from '../../../server/src/sessions/doc.ts';

function clientDoc(from: SessionDoc): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(from.doc));
  return d;
}

function edit(d: Y.Doc, f: (t: Y.Text) => void): Uint8Array {
  const before = Y.encodeStateVector(d);
  f(d.getText('code'));
  return Y.encodeStateAsUpdate(d, before);
}

describe('parseSyncMessage', () => {
  it('reads step 1 and updates; refuses garbage with bad_request', () => {
    const s = new SessionDoc();
    expect(parseSyncMessage(s.step1()).type).toBe('step1');
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, new Uint8Array([0, 0]));
    expect(parseSyncMessage(encoding.toUint8Array(e))).toMatchObject({ type: 'update' });
    for (const bad of [new Uint8Array([]), new Uint8Array([7, 0]), new Uint8Array([0, 5, 1]), new Uint8Array([1, 1, 0, 9])]) {
      expect(() => parseSyncMessage(bad)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    }
  });
});

describe('SessionDoc', () => {
  it('applies an edit once and reports nothing new for a duplicate', () => {
    const s = new SessionDoc();
    s.load(undefined, [{ id: 1, bytes: starterUpdate('int main(void) {}\n') }]);
    const c = clientDoc(s);
    const u = edit(c, (t) => t.insert(0, '// hi\n'));
    expect(s.apply(u)).not.toBeNull();
    expect(s.text.toString()).toBe('// hi\nint main(void) {}\n');
    expect(s.apply(u)).toBeNull();
  });

  it('refuses other root types, map entries, embeds and malformed updates', () => {
    const d = new Y.Doc();
    const before = Y.encodeStateVector(d);
    d.getMap('evil').set('x', 1);
    expect(() => checkUpdate(Y.encodeStateAsUpdate(d, before))).toThrow(expect.objectContaining({ code: 'bad_request' }));
    const d2 = new Y.Doc();
    d2.getText('other').insert(0, 'x');
    expect(() => checkUpdate(Y.encodeStateAsUpdate(d2))).toThrow(/Only the 'code' text/);
    const d3 = new Y.Doc();
    d3.getText('code').insertEmbed(0, { image: 'x' });
    expect(() => checkUpdate(Y.encodeStateAsUpdate(d3))).toThrow(/plain text/);
    expect(() => checkUpdate(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('refuses to grow past LIMITS.docBytes but still accepts deletions', () => {
    const s = new SessionDoc();
    const c = clientDoc(s);
    s.apply(edit(c, (t) => t.insert(0, 'a'.repeat(LIMITS.docBytes - 10))));
    expect(() => s.apply(edit(c, (t) => t.insert(0, 'b'.repeat(20))))).toThrow(
      expect.objectContaining({ code: 'too_large', message: expect.stringMatching(/64 KiB \(65,536 bytes of UTF-8\); this edit would make it 65,546 bytes/) }),
    );
    const c2 = clientDoc(s);
    expect(s.apply(edit(c2, (t) => t.delete(0, 100)))).not.toBeNull();
    expect(s.text.length).toBe(LIMITS.docBytes - 110);
  });

  it('counts bytes of UTF-8, not characters, and the same way as the browser', () => {
    const s = new SessionDoc();
    const c = clientDoc(s);
    // 3 bytes each: one character short of the limit in bytes is far from it in characters.
    const euros = Math.floor(LIMITS.docBytes / 3);
    s.apply(edit(c, (t) => t.insert(0, '€'.repeat(euros))));
    expect(sourceBytes(s.doc)).toBe(euros * 3);
    expect(sourceBytes(s.doc)).toBe(new TextEncoder().encode(s.text.toString()).length);
    expect(() => s.apply(edit(c, (t) => t.insert(0, 'é')))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(s.apply(edit(clientDoc(s), (t) => t.insert(0, 'a')))).not.toBeNull(); // exactly at the limit
    expect(sourceBytes(s.doc)).toBe(LIMITS.docBytes);
  });

  it('counts what an edit deletes near the limit: replacing text with as much is accepted', () => {
    const s = new SessionDoc();
    const c = clientDoc(s);
    s.apply(edit(c, (t) => t.insert(0, 'x'.repeat(LIMITS.docBytes - 100))));
    // Select 1,000 characters and paste 1,050 over them: the document grows by 50 bytes only.
    expect(
      s.apply(
        edit(c, (t) => {
          t.delete(500, 1_000);
          t.insert(500, 'y'.repeat(1_050));
        }),
      ),
    ).not.toBeNull();
    expect(sourceBytes(s.doc)).toBe(LIMITS.docBytes - 50);
    // Deleting text and inserting more than that, past the limit, is refused.
    expect(() =>
      s.apply(
        edit(c, (t) => {
          t.delete(0, 10);
          t.insert(0, 'z'.repeat(61));
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(sourceBytes(s.doc)).toBe(LIMITS.docBytes - 50);
  });

  it('lets a document already over the limit (a session from before it) shrink, never grow', () => {
    const big = 'q'.repeat(LIMITS.docBytes + 1_000);
    const s = new SessionDoc();
    s.load(undefined, [{ id: 1, bytes: starterUpdate(big) }]);
    const c = clientDoc(s);
    expect(
      s.apply(
        edit(c, (t) => {
          t.delete(0, 500);
          t.insert(0, 'r'.repeat(100));
        }),
      ),
    ).not.toBeNull();
    expect(sourceBytes(s.doc)).toBe(LIMITS.docBytes + 600);
    expect(() => s.apply(edit(c, (t) => t.insert(0, 's')))).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  it('accepts plain text in the scratch file too, and nothing else there', () => {
    const s = new SessionDoc();
    s.load(undefined, [{ id: 1, bytes: starterUpdate('int f(void);\n', 'int main(void) { return 0; }\n') }]);
    expect(s.scratch.toString()).toBe('int main(void) { return 0; }\n');
    const c = clientDoc(s);
    const before = Y.encodeStateVector(c);
    c.getText('scratch').insert(0, '// scratch\n');
    expect(s.apply(Y.encodeStateAsUpdate(c, before))).not.toBeNull();
    expect(s.scratch.toString()).toBe('// scratch\nint main(void) { return 0; }\n');
    expect(s.text.toString()).toBe('int f(void);\n');
    const d = new Y.Doc();
    d.getText('scratch').insertEmbed(0, { image: 'x' });
    expect(() => checkUpdate(Y.encodeStateAsUpdate(d))).toThrow(/plain text/);
    const f = new Y.Doc();
    f.getText('scratch').insert(0, 'abc');
    f.getText('scratch').format(0, 3, { bold: true });
    expect(() => checkUpdate(Y.encodeStateAsUpdate(f))).toThrow(/plain text/);
  });

  it('bounds the solution and the scratch file together by LIMITS.docBytes', () => {
    const s = new SessionDoc();
    const c = clientDoc(s);
    s.apply(edit(c, (t) => t.insert(0, 'a'.repeat(LIMITS.docBytes - 10))));
    const before = Y.encodeStateVector(c);
    c.getText('scratch').insert(0, 'b'.repeat(20));
    expect(() => s.apply(Y.encodeStateAsUpdate(c, before))).toThrow(expect.objectContaining({ code: 'too_large' }));
    expect(s.scratch.length).toBe(0);
  });

  it('loads a snapshot plus the updates after it', () => {
    const a = new SessionDoc();
    a.load(undefined, [{ id: 1, bytes: starterUpdate('x') }]);
    const c = clientDoc(a);
    a.apply(edit(c, (t) => t.insert(1, 'y')));
    const snap = { bytes: a.snapshot(), lastUpdateId: 2 };
    const later = edit(c, (t) => t.insert(2, 'z'));
    const b = new SessionDoc();
    b.load(snap, [{ id: 3, bytes: later }]);
    expect(b.text.toString()).toBe('xyz');
    expect(b.lastUpdateId).toBe(3);
  });

  it('keeps awareness states owned by the participant that announced them', () => {
    const sent: Array<string | null> = [];
    const s = new SessionDoc((_u, except) => sent.push(except));
    const peer = new Y.Doc();
    const aw = new awarenessProtocol.Awareness(peer);
    aw.setLocalState({ user: { name: 'Ada' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(aw, [peer.clientID]);
    const ada = { participantId: 'p1', name: 'Ada', color: '#e5534b' };
    const mallory = { participantId: 'p2', name: 'Mallory', color: '#3b82f6' };
    s.applyAwareness(update, 'conn1', ada);
    // The server writes the label from the participant record, whatever the client claimed.
    expect(s.awareness.getStates().get(peer.clientID)).toEqual({ user: { name: 'Ada', color: '#e5534b', id: 'p1' } });
    expect(sent).toEqual(['conn1']);
    aw.setLocalState({ user: { name: 'Mallory' } });
    expect(() => s.applyAwareness(awarenessProtocol.encodeAwarenessUpdate(aw, [peer.clientID]), 'conn2', mallory)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => s.applyAwareness(new Uint8Array([1, 5, 1, 3, 123, 123, 123]), 'conn1', ada)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    s.removeConnection('conn1');
    expect(s.awareness.getStates().has(peer.clientID)).toBe(false);
    expect(sent.at(-1)).toBeNull(); // the removal goes to everyone
    // The id stays Ada's after she left: nobody else may take it over while she is away.
    expect(() => s.applyAwareness(awarenessProtocol.encodeAwarenessUpdate(aw, [peer.clientID]), 'conn3', mallory)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    aw.destroy();
    s.destroy();
  });

  it("relays an observer's awareness without its caret, so nobody sees a cursor for an observer", () => {
    const s = new SessionDoc();
    const peer = new Y.Doc();
    const aw = new awarenessProtocol.Awareness(peer);
    aw.setLocalState({ selection: { anchor: 1, head: 2 }, user: { name: 'x' } });
    const update = awarenessProtocol.encodeAwarenessUpdate(aw, [peer.clientID]);
    s.applyAwareness(update, 'conn1', { participantId: 'o1', name: 'Olga', color: '#16a34a', noCursor: true });
    expect(s.awareness.getStates().get(peer.clientID)).toEqual({ user: { name: 'Olga', color: '#16a34a', id: 'o1' } });
    const other = new awarenessProtocol.Awareness(new Y.Doc());
    other.setLocalState({ selection: { anchor: 3, head: 3 } });
    s.applyAwareness(awarenessProtocol.encodeAwarenessUpdate(other, [other.clientID]), 'conn2', { participantId: 'p1', name: 'Ada', color: '#e5534b' });
    expect(s.awareness.getStates().get(other.clientID)).toMatchObject({ selection: { anchor: 3, head: 3 } });
    aw.destroy();
    other.destroy();
    s.destroy();
  });
});
