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
 * Y.Docs kept in sync, as two browsers would), after a starter update by the server.
 */
export function syntheticSession(count: number, opts: { seed?: number; minutes?: number; startedAt?: number } = {}): SyntheticSession {
  const rnd = random(opts.seed ?? 1);
  const startedAt = opts.startedAt ?? Date.UTC(2026, 0, 5, 10, 0, 0);
  const span = (opts.minutes ?? 30) * 60_000;
  const starter = '#include <stddef.h>\n\nint solve(const int *xs, size_t n)\n{\n    return 0;\n}\n';
  const server = new Y.Doc();
  server.getText('code').insert(0, starter);
  const updates: HistoryUpdate[] = [{ id: 1, at: startedAt - 60_000, participantId: null, bytes: Y.encodeStateAsUpdate(server) }];
  const docs = { p_a: new Y.Doc(), p_b: new Y.Doc() };
  for (const d of Object.values(docs)) Y.applyUpdate(d, updates[0]!.bytes);
  let at = startedAt;
  for (let i = 0; i < count; i++) {
    const who = rnd() < 0.7 ? 'p_a' : 'p_b';
    const doc = docs[who];
    const text = doc.getText('code');
    let captured: Uint8Array | null = null;
    const grab = (u: Uint8Array) => (captured = u);
    doc.once('update', grab);
    const r = rnd();
    if (r < 0.15 && text.length > 10) {
      const from = Math.floor(rnd() * (text.length - 5));
      text.delete(from, 1 + Math.floor(rnd() * 4));
    } else if (r < 0.17) {
      text.insert(Math.floor(rnd() * text.length), '/* pasted */ static int helper(int x) { return x * 2; }\n');
    } else {
      text.insert(Math.floor(rnd() * (text.length + 1)), WORDS[Math.floor(rnd() * WORDS.length)]!);
    }
    if (!captured) continue;
    // Mostly steady typing, with a few idle stretches of a minute or two.
    at += rnd() < 0.003 ? 60_000 + Math.floor(rnd() * 60_000) : Math.floor((span / count) * rnd() * 1.6);
    updates.push({ id: updates.length + 1, at, participantId: who, bytes: captured });
    const other = who === 'p_a' ? docs.p_b : docs.p_a;
    Y.applyUpdate(other, captured);
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
