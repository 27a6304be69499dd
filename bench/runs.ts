// `npm run bench -- runs [--sessions 200] [--every 30] [--seconds 60] [--workers 1] [--concurrency 1]`
// Run round trips under load: N sessions, each asking for a run of its code every `every` seconds
// (phases spread evenly), first on one server node (in-process runner), then on two nodes plus
// 1..`workers` runner-only workers sharing Redis (BullMQ) and the database, printed side by side.
// Needs Redis for the multi-node rows (BENCH_REDIS_URL or TEST_REDIS_URL, default
// redis://127.0.0.1:6379); TEST_DATABASE_URL puts the nodes on PostgreSQL, otherwise one SQLite file.
import os from 'node:os';
import type { RunView, SessionSummary } from '../common/protocol.ts';
import { YClient } from '../tests/integration/helpers.ts';
import { ClusterRig, MENTOR_KEY, type NodeProc } from '../tests/support/cluster.ts';

interface Options {
  sessions: number;
  every: number;
  seconds: number;
  workers: number;
  concurrency: number;
}

function parseArgs(args: string[]): Options {
  const o: Options = { sessions: 200, every: 30, seconds: 60, workers: 1, concurrency: 1 };
  for (let i = 0; i < args.length; i++) {
    const [k, v] = [args[i], Number(args[i + 1])];
    if (!(v > 0)) continue;
    if (k === '--sessions') o.sessions = v;
    else if (k === '--every') o.every = v;
    else if (k === '--seconds') o.seconds = v;
    else if (k === '--workers') o.workers = v;
    else if (k === '--concurrency') o.concurrency = v;
    else continue;
    i++;
  }
  return o;
}

interface Row {
  label: string;
  asked: number;
  done: number;
  runsPerSec: number;
  p50: number;
  p95: number;
  refused: number;
  failed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function createSessions(url: string, n: number): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (let i = 0; i < n; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, async (_, j) => {
        const res = await fetch(`${url}/api/sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ candidateName: `Candidate ${i + j}` }),
        });
        if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
        out.push((await res.json()) as SessionSummary);
      }),
    );
  }
  return out;
}

/** One deployment: `nodes` server nodes (+ `workers`), N mentor connections spread over the nodes. */
async function measure(label: string, o: Options, nodes: number, workers: number): Promise<Row> {
  const rig = await new ClusterRig({ RUNNER_CONCURRENCY: String(o.concurrency) }).start();
  const clients: YClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    // One node alone runs as `npm start` does: no Redis at all (an empty REDIS_URL is unset).
    const alone: Record<string, string> = nodes === 1 ? { REDIS_URL: '' } : {};
    const servers: NodeProc[] = [];
    for (let i = 0; i < nodes; i++) servers.push(await rig.node(alone));
    for (let i = 0; i < workers; i++) await rig.worker();
    // Compilers warm before anything is measured.
    while (!servers.every((n) => /runner ready|failed to start/.test(n.output()))) await sleep(200);
    const sessions = await createSessions(servers[0]!.url, o.sessions);
    const sent = new Map<string, number>();
    const rtts: number[] = [];
    let asked = 0;
    let refused = 0;
    let failed = 0;
    let measuring = true;
    await Promise.all(
      sessions.map(async (s, i) => {
        const client = new YClient(servers[i % nodes]!.url, s.links.mentor);
        clients.push(client);
        const socket = client.socket;
        socket.on('run:result', (run: RunView) => {
          const t0 = sent.get(run.id);
          if (t0 === undefined) return;
          sent.delete(run.id);
          rtts.push(performance.now() - t0);
          if (run.status === 'rejected') failed++;
        });
        await new Promise<void>((resolve, reject) => {
          socket.once('session:state', () => resolve());
          socket.once('connect_error', reject);
        });
        const started = await socket.timeout(10_000).emitWithAck('timer:start');
        if (!started.ok) throw new Error(`start: ${started.error.message}`);
      }),
    );
    // Each run grades new code, as in an interview (an unchanged file would be served by the
    // runner's compile cache): a line is added first, and only the run itself is timed.
    let edits = 0;
    const ask = async (client: YClient) => {
      if (!measuring) return;
      const socket = client.socket;
      const edited = await client.edit((t) => t.insert(0, `// edit ${++edits}\n`));
      if (!edited.ok) throw new Error(`edit: ${edited.error.message}`);
      asked++;
      const t0 = performance.now();
      const r = await socket
        .timeout(30_000)
        .emitWithAck('run:request')
        .catch(() => null);
      if (r?.ok) sent.set(r.value.runId, t0);
      else refused++;
    };
    // Warm-up, not measured: a few rounds of runs, so that every process has compiled the driver
    // and computed the reference outputs (each does once) before the clock starts.
    for (const client of clients.slice(0, Math.min(clients.length, 4 * (nodes + workers)))) await ask(client);
    while (sent.size > 0) await sleep(100);
    rtts.length = 0;
    asked = refused = failed = 0;
    const t0 = performance.now();
    clients.forEach((client, i) => {
      const phase = (i / clients.length) * o.every * 1000;
      timers.push(
        setTimeout(() => {
          void ask(client);
          timers.push(setInterval(() => void ask(client), o.every * 1000));
        }, phase),
      );
    });
    await sleep(o.seconds * 1000);
    measuring = false;
    for (const t of timers) clearInterval(t);
    // Results still on their way count; what is not back after a minute more is reported as lost.
    const end = Date.now() + 60_000;
    while (sent.size > 0 && Date.now() < end) await sleep(200);
    const wall = (performance.now() - t0) / 1000;
    const sorted = [...rtts].sort((a, b) => a - b);
    return { label, asked, done: rtts.length, runsPerSec: rtts.length / wall, p50: percentile(sorted, 50), p95: percentile(sorted, 95), refused, failed: failed + sent.size };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const c of clients) c.close();
    await rig.close();
  }
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

export async function benchRuns(args: string[]): Promise<void> {
  const o = parseArgs(args);
  console.log(`runs: ${o.sessions} sessions, one run each every ${o.every} s, ${o.seconds} s; ${o.concurrency} compiler(s) per process; ${os.cpus().length} cores`);
  console.log(
    `store: ${process.env['TEST_DATABASE_URL'] ? 'PostgreSQL (TEST_DATABASE_URL)' : 'SQLite (one file shared by the nodes)'}; load average before: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  process.env['TEST_REDIS_URL'] ??= process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const rows: Row[] = [await measure('1 node', o, 1, 0)];
  for (let w = 1; w <= o.workers; w++) rows.push(await measure(`2 nodes + ${w} worker${w > 1 ? 's' : ''}`, o, 2, w));
  const header = ['deployment', 'asked', 'done', 'runs/s', 'rtt p50 ms', 'rtt p95 ms', 'refused', 'failed'];
  const cells = rows.map((r) => [r.label, String(r.asked), String(r.done), r.runsPerSec.toFixed(2), f1(r.p50), f1(r.p95), String(r.refused), String(r.failed)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
  const two = rows[1];
  if (two && o.sessions >= 200 && o.every <= 30)
    console.log(`target rtt p95 <= 2000 ms with two nodes at 200 sessions: ${two.p95 <= 2000 ? 'met' : 'NOT met'} (${f1(two.p95)} ms)`);
}
