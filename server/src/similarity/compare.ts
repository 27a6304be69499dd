// Comparison of two fingerprinted submissions: a score and the matching line regions.
import type { Fingerprint } from './fingerprint.ts';

/**
 * Score threshold for "similar", chosen from the measured distribution (tests/unit/similarity, K =
 * 15). Independently written correct solutions, against each other and the reference: 0.02 to 0.29
 * on ring-buffer (the highest: two simple array solutions sharing `if (n == 0) return false; *out
 * = a[i]; return true;` shapes), 0 to 0.03 on mem-search, 0 to 0.05 on block-copy, 0 to 0.11 on
 * hex-dump, 0 to 0.14 on virtio-ring, 0.03 to 0.14 on page-frame-allocator, 0.01 to 0.24 on
 * lru-cache, 0.01 to 0.21 on config-parser. Disguised copies (renamed, functions reordered,
 * reformatted, by hand and by tests/support/disguise.ts): 0.9 to 1.0 (before braces around
 * one-statement bodies were ignored, adding them alone took block-copy's reference to 0.47);
 * variants of one solution with functions shuffled and 3% of lines dropped: about 0.7
 * (bench/similarity.ts). 0.5 sits in the gap.
 */
export const SIMILARITY_THRESHOLD = 0.5;

/**
 * Fewer distinct fingerprints than this (after removing the starter's) is too little code to call
 * anything similar: two near-empty submissions would otherwise share "all" of their one fingerprint.
 */
export const MIN_FINGERPRINTS = 4;

export interface LineRange {
  start: number;
  end: number;
}

/** A stretch of A that matches a stretch of B. */
export interface Region {
  a: LineRange;
  b: LineRange;
}

export interface Comparison {
  /** shared distinct fingerprints / the smaller submission's distinct fingerprints, 0..1. */
  score: number;
  shared: number;
  sizeA: number;
  sizeB: number;
  regions: Region[];
}

function distinct(prints: readonly Fingerprint[]): Set<number> {
  return new Set(prints.map((p) => p.hash));
}

/**
 * Score = |A ∩ B| / min(|A|, |B|) over distinct fingerprint hashes. Dividing by the smaller side
 * means a submission copied whole into a longer one still scores 1: copying plus extra code is
 * copying. Zero when either side has fewer than MIN_FINGERPRINTS (starter-only code has none).
 */
export function compare(a: readonly Fingerprint[], b: readonly Fingerprint[]): Comparison {
  const setA = distinct(a);
  const setB = distinct(b);
  let shared = 0;
  for (const hash of setA) if (setB.has(hash)) shared++;
  const smaller = Math.min(setA.size, setB.size);
  const score = smaller < MIN_FINGERPRINTS ? 0 : shared / smaller;
  return { score, shared, sizeA: setA.size, sizeB: setB.size, regions: score === 0 ? [] : regions(a, b, setB) };
}

/** Only the score, for comparing one submission with hundreds: no regions, one set built per call. */
export function score(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const smaller = Math.min(a.size, b.size);
  if (smaller < MIN_FINGERPRINTS) return 0;
  let shared = 0;
  for (const hash of a.size <= b.size ? a : b) if ((a.size <= b.size ? b : a).has(hash)) shared++;
  return shared / smaller;
}

/**
 * Matching regions: each shared fingerprint pairs its lines in A with the first place B has the
 * same hash; consecutive pairs whose ranges overlap or touch on both sides merge into one region.
 */
function regions(a: readonly Fingerprint[], b: readonly Fingerprint[], inB: ReadonlySet<number>): Region[] {
  const firstInB = new Map<number, Fingerprint>();
  for (const p of b) if (!firstInB.has(p.hash)) firstInB.set(p.hash, p);
  const pairs: Region[] = [];
  for (const p of a) {
    if (!inB.has(p.hash)) continue;
    const q = firstInB.get(p.hash)!;
    pairs.push({ a: { start: p.startLine, end: p.endLine }, b: { start: q.startLine, end: q.endLine } });
  }
  pairs.sort((x, y) => x.a.start - y.a.start || x.b.start - y.b.start);
  const merged: Region[] = [];
  for (const pair of pairs) {
    const last = merged.at(-1);
    if (last && touches(last.a, pair.a) && touches(last.b, pair.b)) {
      last.a = { start: Math.min(last.a.start, pair.a.start), end: Math.max(last.a.end, pair.a.end) };
      last.b = { start: Math.min(last.b.start, pair.b.start), end: Math.max(last.b.end, pair.b.end) };
    } else {
      merged.push({ a: { ...pair.a }, b: { ...pair.b } });
    }
  }
  return merged;
}

function touches(x: LineRange, y: LineRange): boolean {
  return y.start <= x.end + 1 && x.start <= y.end + 1;
}
