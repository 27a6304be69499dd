// `npm run bench -- similarity [--stored 500] [--repeat 20]`
// 500 ended interviews of ring-buffer (variants of the reference and of the independent solutions
// in tests/fixtures/similarity: names changed, functions shuffled, lines dropped) are written into
// a temp SQLite store with their fingerprints. Prints the time to fingerprint one new submission
// and compare it with all stored (target <= 200 ms), and to open the board over HTTP, rows and
// all pairs (target <= 1 s).
import { fakeRunner } from '../tests/support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { assemble } from '../server/src/assemble.ts';
import { testConfig } from '../server/src/config.ts';
import { loadExercises } from '../server/src/exercises/load.ts';
import { score } from '../server/src/similarity/index.ts';
import { fingerprintFor } from '../server/src/similarity/record.ts';
import { loadKeys } from '../server/src/sessions/tokens.ts';
import { openSqliteStore } from '../server/src/store/sqlite.ts';
import { seedInterview } from '../tests/support/board-seed.ts';
import { TEST_EXERCISES_DIR } from '../tests/support/paths.ts';
import { random } from '../tests/support/synthetic.ts';
import { percentile, printTable } from './table.ts';

const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';
const TARGET_COMPARE_MS = 200;
const TARGET_BOARD_MS = 1_000;
const FIXTURES = path.resolve(import.meta.dirname, '../tests/fixtures/similarity/ring-buffer');
const noRunner = fakeRunner({}, 'this bench compiles nothing');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** A variant of `source`: identifiers suffixed, top-level blocks shuffled, a few lines dropped. */
function variant(source: string, next: () => number, n: number): string {
  const renamed = source.replace(/\b(r|q|ring|value|out|i|k|v|self|data|len|head|count|buf)\b/g, (m) => (next() < 0.5 ? `${m}_${n}` : m));
  const blocks = renamed.split(/\n\n+/);
  for (let i = blocks.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
  }
  return blocks
    .join('\n\n')
    .split('\n')
    .filter(() => next() > 0.03)
    .join('\n');
}

export async function benchSimilarity(args: string[]): Promise<void> {
  const stored = option(args, 'stored', 500);
  const repeat = option(args, 'repeat', 20);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-similarity-'));
  const store = openSqliteStore(tmp);
  try {
    const catalog = await loadExercises(TEST_EXERCISES_DIR);
    const ring = catalog.get('ring-buffer')!;
    const bases = [ring.solution, ...fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'))];
    const next = random(21);
    const t0 = Date.parse('2026-11-01T09:00:00Z');
    for (let n = 0; n < stored; n++) {
      const source = variant(bases[n % bases.length]!, next, n);
      const id = `s${n}`;
      await seedInterview(store, ring, { id, candidate: `Candidate ${n}`, source, startedAt: t0 + n * 3_600_000, overall: (n % 4) + 1 });
      await store.putFingerprints({ sessionId: id, slug: ring.slug, prints: await fingerprintFor(ring, source), createdAt: t0 });
    }

    // One new submission against everything stored: fingerprint it, read the stored sets, score each.
    const compareMs: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const start = performance.now();
      const mine = new Set((await fingerprintFor(ring, variant(bases[i % bases.length]!, next, 10_000 + i))).map((p) => p.hash));
      let similar = 0;
      for (const row of await store.listFingerprints(ring.slug)) if (score(mine, new Set(row.prints.map((p) => p.hash))) >= 0.5) similar++;
      compareMs.push(performance.now() - start);
      if (similar === 0) throw new Error('a variant of a stored solution matched nothing: the bench is not measuring comparisons');
    }

    // The board as the page opens it: over HTTP, every row and every pair.
    const config = testConfig({ dataDir: tmp, clientDir: path.join(tmp, 'no-client'), exercisesDir: TEST_EXERCISES_DIR, mentorKey: MENTOR_KEY });
    const { app } = await assemble({ config, store, catalog, runner: noRunner, keys: loadKeys(tmp, MENTOR_KEY), log: () => {} });
    const port = await app.listen(0, '127.0.0.1');
    const boardMs: number[] = [];
    let rows = 0;
    let pairs = 0;
    for (let i = 0; i < Math.min(repeat, 5); i++) {
      const start = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/api/board?exercise=ring-buffer`, { headers: { authorization: `Bearer ${MENTOR_KEY}` } });
      const body = (await res.json()) as { rows: unknown[]; similar: unknown[] };
      boardMs.push(performance.now() - start);
      rows = body.rows.length;
      pairs = body.similar.length;
    }
    await app.close();

    const fmt = (x: number) => x.toFixed(1);
    printTable(
      ['similarity (ring-buffer)', 'stored', 'p50 ms', 'p99 ms', 'max ms', 'target ms', 'ok'],
      [
        [
          'fingerprint one + compare with all',
          String(stored),
          fmt(percentile(compareMs, 50)),
          fmt(percentile(compareMs, 99)),
          fmt(Math.max(...compareMs)),
          String(TARGET_COMPARE_MS),
          percentile(compareMs, 50) <= TARGET_COMPARE_MS ? 'yes' : 'NO',
        ],
        [
          `open the board (${rows} rows, ${pairs} similar pairs)`,
          String(stored),
          fmt(percentile(boardMs, 50)),
          fmt(percentile(boardMs, 99)),
          fmt(Math.max(...boardMs)),
          String(TARGET_BOARD_MS),
          percentile(boardMs, 50) <= TARGET_BOARD_MS ? 'yes' : 'NO',
        ],
      ],
    );
  } finally {
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
