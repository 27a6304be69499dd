// A synthetic recorded session: two participants typing, deleting and pasting into one shared
// text, with every update logged as the server stores it (id, time, who, bytes). Deterministic for
// a seed, so tests and benchmarks see the same history every time.
import * as Y from 'yjs';
import type { HistoryUpdate } from '../../server/src/history/index.ts';

/** Small deterministic PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticSession {
  updates: HistoryUpdate[];
  starter: string;
  startedAt: number;
}

const WORDS = ['int ', 'size_t ', 'return ', 'if (', ') {\n', '}\n', 'n', ' = ', '0;', '++', 'buf[i]', 'for (', '; ', '\n', '    ', 'NULL', '->', 'uint32_t '];

/**
 * `count` updates over `minutes` of interview time by participants 'p_a' and 'p_b' (editing two
 * Y.Docs kept in sync, as two browsers would), after a starter update by the server. People type
 * at a cursor that now and then jumps elsewhere; `scatter` instead puts every edit at a random
 * place (a worst case for the document's structure, used to stress correctness).
 */
export function syntheticSession(count: number, opts: { seed?: number; minutes?: number; startedAt?: number; scatter?: boolean } = {}): SyntheticSession {
  const rnd = random(opts.seed ?? 1);
  const startedAt = opts.startedAt ?? Date.UTC(2026, 0, 5, 10, 0, 0);
  const span = (opts.minutes ?? 30) * 60_000;
  const starter = '#include <stddef.h>\n\nint solve(const int *xs, size_t n)\n{\n    return 0;\n}\n';
  const server = new Y.Doc();
  server.getText('code').insert(0, starter);
  const updates: HistoryUpdate[] = [{ id: 1, at: startedAt - 60_000, participantId: null, bytes: Y.encodeStateAsUpdate(server) }];
  const docs = { p_a: new Y.Doc(), p_b: new Y.Doc() };
  for (const d of Object.values(docs)) Y.applyUpdate(d, updates[0]!.bytes);
  const cursor = { p_a: starter.length - 2, p_b: 0 };
  let at = startedAt;
  for (let i = 0; i < count; i++) {
    const who = rnd() < 0.8 ? 'p_a' : 'p_b';
    const doc = docs[who];
    const text = doc.getText('code');
    if (opts.scatter || rnd() < 0.04) cursor[who] = Math.floor(rnd() * (text.length + 1));
    cursor[who] = Math.min(cursor[who], text.length);
    let captured: Uint8Array | null = null;
    doc.once('update', (u: Uint8Array) => (captured = u));
    const r = rnd();
    const longText = text.length > 6_000;
    if ((r < 0.12 || (longText && r < 0.3)) && cursor[who] > 0) {
      // Backspace, or now and then a selection deleted (a line or a block).
      const n = Math.min(cursor[who], rnd() < 0.97 ? 1 : 5 + Math.floor(rnd() * 60));
      text.delete(cursor[who] - n, n);
      cursor[who] -= n;
    } else if (r < 0.125) {
      const pasted = '/* pasted */ static int helper(int x) { return x * 2; }\n';
      text.insert(cursor[who], pasted);
      cursor[who] += pasted.length;
    } else {
      const word = WORDS[Math.floor(rnd() * WORDS.length)]!;
      const piece = opts.scatter ? word : word[Math.floor(rnd() * word.length)]!; // one keystroke
      text.insert(cursor[who], piece);
      cursor[who] += piece.length;
    }
    if (!captured) continue;
    // Mostly steady typing, with a few idle stretches of a minute or two.
    at += rnd() < 0.003 ? 60_000 + Math.floor(rnd() * 60_000) : Math.floor((span / count) * rnd() * 1.6);
    updates.push({ id: updates.length + 1, at, participantId: who, bytes: captured });
    Y.applyUpdate(who === 'p_a' ? docs.p_b : docs.p_a, captured);
  }
  for (const d of [server, ...Object.values(docs)]) d.destroy();
  return { updates, starter, startedAt };
}

/** The text after the first `index + 1` updates, by applying them one by one to a fresh document. */
export function fullReplay(updates: readonly HistoryUpdate[], index: number): string {
  const doc = new Y.Doc();
  for (let i = 0; i <= index; i++) Y.applyUpdate(doc, updates[i]!.bytes);
  const text = doc.getText('code').toString();
  doc.destroy();
  return text;
}
