// `npm run bench -- replay [--updates 10000] [--runs 60] [--seeks 200]`
// A synthetic 30-minute interview (two participants typing, --updates document updates, --runs
// runs) is imported into a real server (temp SQLite, the client built by Vite). Prints: the
// history load and random-seek times where the replay rebuilds documents (the browser; the same
// module timed in Node), the server's seek for "test this moment", the review data and export
// sizes, and the replay page's first paint and time to interactive in headless Chromium.
import { fakeRunner } from '../tests/support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import type { SessionSummary } from '../common/protocol.ts';
import { assemble } from '../server/src/assemble.ts';
import { testConfig } from '../server/src/config.ts';
import { History } from '../server/src/history/index.ts';
import { storedTextAt } from '../server/src/history/stored.ts';
import { loadKeys } from '../server/src/sessions/tokens.ts';
import { openSqliteStore } from '../server/src/store/sqlite.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureClientBuilt } from '../tests/e2e/harness.ts';
import { TEST_EXERCISES_DIR } from '../tests/support/paths.ts';
import { random } from '../tests/support/synthetic.ts';
import { syntheticExport } from '../tests/support/synthetic-export.ts';

const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';
const TARGET_SEEK_P99_MS = 50;
const TARGET_INTERACTIVE_MS = 1_500;

const noRunner = fakeRunner({}, 'this bench compiles nothing');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

export async function benchReplay(args: string[]): Promise<void> {
  const updates = option(args, 'updates', 10_000);
  const runs = option(args, 'runs', 60);
  const seeks = option(args, 'seeks', 200);
  const doc = syntheticExport(updates, runs);
  const rows: [string, string, string][] = [];

  // ---- the history module in Node (the same code the browser runs) ----
  const log = doc.updates.map((u) => ({ id: u.id, at: u.at, participantId: u.participantId, bytes: new Uint8Array(Buffer.from(u.bytes, 'base64')) }));
  let t0 = performance.now();
  const history = new History(log);
  rows.push(['history load (Node, one forward pass)', ms(performance.now() - t0), '']);
  const rnd = random(99);
  const nodeSeeks: number[] = [];
  for (let i = 0; i < seeks; i++) {
    const index = Math.floor(rnd() * log.length);
    t0 = performance.now();
    history.seek(index);
    nodeSeeks.push(performance.now() - t0);
  }
  rows.push([
    `seek p50 / p99, ${seeks} random instants (Node)`,
    `${ms(percentile(nodeSeeks, 50))} / ${ms(percentile(nodeSeeks, 99))}`,
    verdict(percentile(nodeSeeks, 99) <= TARGET_SEEK_P99_MS),
  ]);
  history.destroy();

  // ---- a real server holding the imported session ----
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-bench-replay-'));
  const clientDir = await ensureClientBuilt();
  const config = testConfig({ dataDir: tmp, clientDir, exercisesDir: TEST_EXERCISES_DIR, mentorKey: MENTOR_KEY });
  const store = openSqliteStore(tmp);
  const { app } = await assemble({ config, store, runner: noRunner, keys: loadKeys(tmp, MENTOR_KEY), log: () => {} });
  const port = await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    t0 = performance.now();
    const res = await fetch(`${base}/api/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${await res.text()}`);
    const session = (await res.json()) as SessionSummary;
    rows.push([`import (validate + store ${log.length} updates, ${runs} runs)`, ms(performance.now() - t0), '']);
    const token = session.links.review.split('/').pop()!;
    const auth = { authorization: `Bearer ${token}` };

    t0 = performance.now();
    const data = await (await fetch(`${base}/api/review`, { headers: auth })).text();
    rows.push(['GET /api/review (server load + JSON)', `${ms(performance.now() - t0)}, ${(data.length / 1024).toFixed(0)} KiB`, '']);
    const exported = await (await fetch(`${base}/api/review/export`, { headers: auth })).text();
    rows.push(['export size (JSON)', `${(exported.length / 1024).toFixed(0)} KiB`, '']);

    // Server-side seek, as "test this moment" does it: snapshot at or before + bounded updates.
    const ids = (await store.listUpdates(session.id)).map((u) => u.id);
    const serverSeeks: number[] = [];
    for (let i = 0; i < seeks; i++) {
      const id = ids[Math.floor(rnd() * ids.length)]!;
      t0 = performance.now();
      await storedTextAt(store, session.id, id);
      serverSeeks.push(performance.now() - t0);
    }
    rows.push([`server seek p50 / p99 (test this moment: snapshot + updates)`, `${ms(percentile(serverSeeks, 50))} / ${ms(percentile(serverSeeks, 99))}`, '']);

    // ---- the replay page in Chromium ----
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    const start = performance.now();
    await page.goto(`${base}/r/${token}`, { waitUntil: 'commit' });
    // Headless Chromium reports no paint timing entries: time the first content the page draws.
    await page.waitForSelector('.center-card, .replay', { timeout: 30_000 });
    const paint = performance.now() - start;
    await page.waitForFunction(() => 'replayState' in window, undefined, { timeout: 30_000 });
    const interactive = performance.now() - start;
    rows.push(['replay page first paint (navigation -> first content drawn)', ms(paint), '']);
    rows.push(['replay page interactive (navigation -> seekable)', ms(interactive), verdict(interactive <= TARGET_INTERACTIVE_MS)]);
    const browserSeeks = await page.evaluate((n) => {
      const w = window as unknown as { replaySeek: (t: number) => void; replayState: () => { duration: number } };
      const duration = w.replayState().duration;
      const times: number[] = [];
      let seed = 7;
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const t = (seed / 2147483648) * duration;
        const s = performance.now();
        w.replaySeek(t);
        times.push(performance.now() - s);
      }
      return times;
    }, seeks);
    rows.push([
      `seek p50 / p99 in the page (rebuild + editor), ${seeks} random`,
      `${ms(percentile(browserSeeks, 50))} / ${ms(percentile(browserSeeks, 99))}`,
      verdict(percentile(browserSeeks, 99) <= TARGET_SEEK_P99_MS),
    ]);
  } finally {
    await browser.close().catch(() => {});
    await app.close();
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  console.log(
    `\nreplay: synthetic 30-minute session, ${log.length} updates, ${runs} runs (targets: seek p99 <= ${TARGET_SEEK_P99_MS} ms, interactive <= ${TARGET_INTERACTIVE_MS} ms)\n`,
  );
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
}
