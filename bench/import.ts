// `npm run bench -- import [--updates 200000] [--chars 110] [--every 5]`
// A large session export (--updates document updates that each type or delete --chars characters:
// about 32 MiB of JSON by default, the most POST /api/import takes) is imported into a real server
// (temporary SQLite, no runner) while GET /api/health is asked every --every ms. Prints the
// import's time and how long health took to answer while it ran (target: p99 <= 200 ms).
import { fakeRunner } from '../tests/support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { assemble } from '../server/src/assemble.ts';
import { testConfig } from '../server/src/config.ts';
import { loadKeys } from '../server/src/sessions/tokens.ts';
import { openSqliteStore } from '../server/src/store/sqlite.ts';
import { TEST_EXERCISES_DIR } from '../tests/support/paths.ts';
import { bulkExport } from '../tests/support/synthetic-export.ts';
import { percentile, printTable } from './table.ts';

const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';
const TARGET_HEALTH_P99_MS = 200;
const noRunner = fakeRunner({}, 'this bench compiles nothing');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

export async function benchImport(args: string[]): Promise<void> {
  const updates = option(args, 'updates', 200_000);
  const chars = option(args, 'chars', 110);
  const every = option(args, 'every', 5);
  const body = JSON.stringify(bulkExport(updates, chars));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-bench-import-'));
  const config = testConfig({ dataDir: tmp, clientDir: path.join(tmp, 'no-client'), exercisesDir: TEST_EXERCISES_DIR, mentorKey: MENTOR_KEY });
  const store = openSqliteStore(tmp);
  const { app } = await assemble({ config, store, runner: noRunner, keys: loadKeys(tmp, MENTOR_KEY), log: () => {} });
  const base = `http://127.0.0.1:${await app.listen(0, '127.0.0.1')}`;
  try {
    // Health, asked every `every` ms from the moment the import is sent until its answer.
    let importing = true;
    const latencies: number[] = [];
    const health = (async () => {
      while (importing) {
        const started = performance.now();
        await (await fetch(`${base}/api/health`)).arrayBuffer();
        if (importing) latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, every));
      }
    })();
    const started = performance.now();
    const res = await fetch(`${base}/api/import`, { method: 'POST', headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' }, body });
    const took = performance.now() - started;
    importing = false;
    await health;
    if (res.status !== 201) throw new Error(`import failed: ${res.status} ${await res.text()}`);

    const p99 = percentile(latencies, 99);
    console.log(
      `\nimport: ${updates} updates, ${(body.length / 1024 / 1024).toFixed(1)} MiB of JSON, into SQLite; /api/health every ${every} ms meanwhile (target p99 <= ${TARGET_HEALTH_P99_MS} ms)`,
    );
    printTable(
      ['measure', 'value', 'target'],
      [
        ['import (upload, check in a worker, write)', ms(took), ''],
        ['health answers during the import', String(latencies.length), ''],
        ['health p50 / p99', `${ms(percentile(latencies, 50))} / ${ms(p99)}`, p99 <= TARGET_HEALTH_P99_MS ? 'met' : 'NOT MET'],
        ['health max', ms(Math.max(...latencies)), ''],
      ],
    );
  } finally {
    await app.close();
    await store.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
