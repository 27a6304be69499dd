// `npm run bench -- realtime [--sessions 10,50,200] [--seconds 10] [--rate 5] [--nodes 1,2]`
// For each N: starts the real server (tsx server/src/index.ts, temp DATA_DIR) as a child process,
// creates N sessions, connects 2 clients per session (candidate + mentor, each a Y.Doc over
// socket.io, as the browser does) and has every client type `rate` characters per second.
// Prints edit propagation latency (local edit -> applied in the other client), ack latency
// (local edit -> durably stored), and the server's CPU and RSS. With `--nodes 1,2` each N also runs
// on two nodes sharing Redis (TEST_REDIS_URL, default redis://127.0.0.1:6379) and the database
// (TEST_DATABASE_URL, else one SQLite file), the two clients of a session on different nodes.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import type { Result, SessionSummary } from '../common/protocol.ts';
import { YClient } from '../tests/support/yjs-client.ts';
import { ClusterRig, MENTOR_KEY as CLUSTER_MENTOR_KEY } from '../tests/support/cluster.ts';
import { MENTOR_KEY, bootServer, cpuSeconds, rssMb, stopServer } from './server-process.ts';

const TARGET_P99_MS = 50;

interface Options {
  sessions: number[];
  seconds: number;
  warmupSeconds: number;
  rate: number;
  nodes: number[];
}

function parseArgs(args: string[]): Options {
  const o: Options = { sessions: [10, 50, 200], seconds: 10, warmupSeconds: 2, rate: 5, nodes: [1] };
  for (let i = 0; i < args.length; i++) {
    const [k, v] = [args[i], args[i + 1]];
    if (k === '--sessions' && v)
      o.sessions = v
        .split(',')
        .map(Number)
        .filter((n) => n > 0);
    else if (k === '--seconds' && v) o.seconds = Number(v);
    else if (k === '--warmup' && v) o.warmupSeconds = Number(v);
    else if (k === '--rate' && v) o.rate = Number(v);
    else if (k === '--nodes' && v)
      o.nodes = v
        .split(',')
        .map(Number)
        .filter((n) => n === 1 || n === 2);
    else continue;
    i++;
  }
  return o;
}

// ---- the server under test ----

/** The deployment under test: one node as `npm start` runs it, or two on Redis (a ClusterRig). */
interface Deployment {
  urls: string[];
  pids: number[];
  mentorKey: string;
  stop(): Promise<void>;
}

async function deploy(nodes: number): Promise<Deployment> {
  if (nodes === 1) {
    const s = await bootServer('ci-bench-');
    return { urls: [s.url], pids: [s.child.pid!], mentorKey: MENTOR_KEY, stop: () => stopServer(s) };
  }
  process.env['TEST_REDIS_URL'] ??= 'redis://127.0.0.1:6379';
  const rig = await new ClusterRig().start();
  const started = [await rig.node(), await rig.node()];
  while (!started.every((n) => /runner ready|failed to start/.test(n.output()))) await sleep(200);
  return { urls: started.map((n) => n.url), pids: started.map((n) => n.child.pid!), mentorKey: CLUSTER_MENTOR_KEY, stop: () => rig.close() };
}

// ---- clients ----

/** The tests' Yjs client, timing each edit's ack and when the peer's edits arrive. */
class BenchClient extends YClient {
  /** (clock after the edit, time of the edit), oldest first, until the peer has applied it. */
  readonly inFlight: Array<[number, number]> = [];
  peer: BenchClient | undefined;
  measuring = false;

  constructor(
    url: string,
    link: string,
    private readonly stats: Stats,
  ) {
    super(url, link, undefined, { record: false });
  }

  override send(m: Uint8Array): Promise<Result<null>> {
    const t0 = performance.now();
    const measured = this.measuring;
    return super.send(m).then((r) => {
      if (!r.ok) this.stats.errors++;
      else if (measured) this.stats.ack.push(performance.now() - t0);
      return r;
    });
  }

  protected override onSync(m: Uint8Array): void {
    super.onSync(m);
    // Which of the peer's edits are now applied here?
    const peer = this.peer;
    if (!peer) return;
    const have = Y.getState(this.doc.store, peer.doc.clientID);
    const now = performance.now();
    while (peer.inFlight.length > 0 && peer.inFlight[0]![0] <= have) {
      const [, t0] = peer.inFlight.shift()!;
      if (peer.measuring) this.stats.latency.push(now - t0);
    }
  }

  type(): void {
    const pos = Math.floor(Math.random() * (this.text.length + 1));
    this.text.insert(pos, String.fromCharCode(97 + Math.floor(Math.random() * 26)));
    this.inFlight.push([Y.getState(this.doc.store, this.doc.clientID), performance.now()]);
    this.stats.edits++;
  }
}

interface Stats {
  latency: number[];
  ack: number[];
  edits: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function inBatches<T>(items: T[], size: number, f: (t: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(f));
}

interface Row {
  n: number;
  editsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  ackP50: number;
  ackP99: number;
  cpu: number;
  clientCpu: number;
  rssIdle: number;
  rssPeak: number;
  errors: number;
  lost: number;
}

async function runOne(n: number, o: Options, nodes: number): Promise<Row> {
  const server = await deploy(nodes);
  const stats: Stats = { latency: [], ack: [], edits: 0, errors: 0 };
  const clients: BenchClient[] = [];
  const timers: NodeJS.Timeout[] = [];
  try {
    const pids = server.pids;
    const cpuAll = () => pids.reduce((sum, p) => sum + cpuSeconds(p), 0);
    const rssAll = () => pids.reduce((sum, p) => sum + rssMb(p), 0);
    const rssIdle = rssAll();
    const sessions: SessionSummary[] = [];
    await inBatches(
      Array.from({ length: n }, (_, i) => i),
      20,
      async (i) => {
        const res = await fetch(`${server.urls[0]}/api/sessions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.mentorKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ candidateName: `Candidate ${i}` }),
        });
        if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
        sessions.push((await res.json()) as SessionSummary);
      },
    );
    await inBatches(sessions, 20, async (s) => {
      // With two nodes the candidate and the mentor sit on different ones.
      const a = new BenchClient(server.urls[0]!, s.links.candidate, stats);
      const b = new BenchClient(server.urls[server.urls.length - 1]!, s.links.mentor, stats);
      a.peer = b;
      b.peer = a;
      clients.push(a, b);
      await Promise.all([a.ready(), b.ready()]);
      // As in a real interview, the candidate types once the mentor has started the clock.
      const started = await b.socket.timeout(10_000).emitWithAck('timer:start');
      if (!started.ok) throw new Error(`start session: ${started.error.message}`);
    });

    // Each client types on its own schedule, phases spread so the load is even.
    const interval = 1000 / o.rate;
    for (const c of clients) {
      const start = setTimeout(() => {
        c.type();
        timers.push(setInterval(() => c.type(), interval));
      }, Math.random() * interval);
      timers.push(start);
    }
    await sleep(o.warmupSeconds * 1000);

    for (const c of clients) c.measuring = true;
    const edits0 = stats.edits;
    const cpu0 = cpuAll();
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    let rssPeak = rssAll();
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssAll())), 500);
    await sleep(o.seconds * 1000);
    const wall = (performance.now() - t0) / 1000;
    const cpu = ((cpuAll() - cpu0) / wall) * 100;
    const own = process.cpuUsage(own0);
    const clientCpu = ((own.user + own.system) / 1e6 / wall) * 100;
    const edits = stats.edits - edits0;
    for (const c of clients) c.measuring = false;
    clearInterval(sampler);
    for (const t of timers) clearInterval(t);
    await sleep(1000); // let the last edits land
    const lost = clients.reduce((sum, c) => sum + c.inFlight.length, 0);

    const lat = [...stats.latency].sort((a, b) => a - b);
    const ack = [...stats.ack].sort((a, b) => a - b);
    return {
      n,
      editsPerSec: edits / wall,
      p50: percentile(lat, 50),
      p99: percentile(lat, 99),
      max: lat.at(-1) ?? NaN,
      ackP50: percentile(ack, 50),
      ackP99: percentile(ack, 99),
      cpu,
      clientCpu,
      rssIdle,
      rssPeak,
      errors: stats.errors,
      lost,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const c of clients) c.close();
    await server.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

export async function benchRealtime(args: string[]): Promise<void> {
  const o = parseArgs(args);
  console.log(`realtime: 2 clients per session, ${o.rate} chars/s each, ${o.seconds} s measured after ${o.warmupSeconds} s warm-up; loopback; ${os.cpus().length} cores`);
  console.log('(server = tsx server/src/index.ts in a child process; CPU % and RSS = the server processes summed, 100 = one core;');
  console.log(' RSS includes one warm compiler worker; bench CPU % = this process, which drives all clients)');
  console.log(
    `load average before: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const header = ['nodes', 'sessions', 'clients', 'edits/s', 'p50 ms', 'p99 ms', 'max ms', 'ack p50', 'ack p99', 'CPU %', 'bench CPU %', 'RSS idle MB', 'RSS peak MB', 'errors'];
  const rows: string[][] = [];
  const results: Row[] = [];
  for (const n of o.sessions)
    for (const nodes of o.nodes) {
      const r = await runOne(n, o, nodes);
      if (nodes === 1) results.push(r);
      rows.push([
        String(nodes),
        String(n),
        String(2 * n),
        f1(r.editsPerSec),
        f1(r.p50),
        f1(r.p99),
        f1(r.max),
        f1(r.ackP50),
        f1(r.ackP99),
        f1(r.cpu),
        f1(r.clientCpu),
        f1(r.rssIdle),
        f1(r.rssPeak),
        String(r.errors + r.lost),
      ]);
      console.log(`  N=${n} on ${nodes} node(s) done`);
    }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  const at200 = results.find((r) => r.n === 200);
  if (at200) console.log(`target p99 <= ${TARGET_P99_MS} ms at N=200: ${at200.p99 <= TARGET_P99_MS ? 'met' : 'NOT met'} (${f1(at200.p99)} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchRealtime(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
