// `npm run bench -- abuse [--seconds 8]`: bounded floods against a real server (tsx
// server/src/index.ts as a child process, temp DATA_DIR, loopback only), each while a normal
// two-person session types. Per flood: /api/health latency, the normal session's edit propagation
// p99, the server's RSS before and after, and what the attacker got back. The attacker is a
// process of its own (bench/abuse-floods.ts); this one only measures.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { ask, count, createSession, describeTally, dial, message, sleep, type Sock, type Tally } from './abuse-client.ts';
import { FLOODS } from './abuse-floods.ts';
import { ROOT, bootServer, rssMb, stopServer, type ServerProc } from './server-process.ts';
import { percentile, printTable } from './table.ts';

const REMOTE = Symbol('remote');
const TARGET_HEALTH_P99 = 200;
const TARGET_NORMAL_P99 = 100;
const TARGET_RSS_GROWTH_MB = 100;

// ---- the normal session: candidate and mentor typing, edit propagation measured ----

class Typist {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText('code');
  readonly inFlight: Array<[number, number]> = [];
  peer: Typist | undefined;
  latencies: number[] = [];
  constructor(readonly socket: Sock) {
    socket.on('doc:sync', (m) => this.onSync(new Uint8Array(m)));
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE)
        socket.emit(
          'doc:sync',
          message((e) => syncProtocol.writeUpdate(e, u)),
          () => {},
        );
    });
    socket.emit(
      'doc:sync',
      message((e) => syncProtocol.writeSyncStep1(e, this.doc)),
      () => {},
    );
  }
  private onSync(m: Uint8Array): void {
    const e = encoding.createEncoder();
    const type = syncProtocol.readSyncMessage(decoding.createDecoder(m), e, this.doc, REMOTE);
    if (type === syncProtocol.messageYjsSyncStep1) this.socket.emit('doc:sync', encoding.toUint8Array(e), () => {});
    const peer = this.peer;
    if (!peer) return;
    const have = Y.getState(this.doc.store, peer.doc.clientID);
    while (peer.inFlight.length > 0 && peer.inFlight[0]![0] <= have) this.latencies.push(performance.now() - peer.inFlight.shift()![1]);
  }
  type(): void {
    const pos = Math.floor(Math.random() * (this.text.length + 1));
    this.text.insert(pos, String.fromCharCode(97 + Math.floor(Math.random() * 26)));
    this.inFlight.push([Y.getState(this.doc.store, this.doc.clientID), performance.now()]);
  }
}

/**
 * Runs one flood in an attacker process of its own: `started` resolves once it is loaded and
 * attacking, `done` with what the attacker got back.
 */
function attack(url: string, floodName: string, seconds: number): { started: Promise<void>; done: Promise<Tally> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/abuse-floods.ts'), floodName, url, String(seconds)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let onStart = () => {};
  const started = new Promise<void>((resolve) => (onStart = resolve));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('started\n')) onStart();
  });
  const done = new Promise<Tally>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      onStart();
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) resolve(JSON.parse(last) as Tally);
      else reject(new Error(`the ${floodName} attacker exited with ${code}:\n${out}`));
    });
  });
  return { started, done };
}

// ---- one flood alongside the normal session, measured ----

interface Row {
  name: string;
  health: number[];
  normal: number[];
  rssBefore: number;
  rssAfter: number;
  tally: Tally;
}

async function measure(server: ServerProc, floodName: string, seconds: number): Promise<Row> {
  const pid = server.child.pid!;
  const s = await createSession(server.url, 'Normal Candidate');
  const [cs, ms] = await Promise.all([dial(server.url, s.links.candidate), dial(server.url, s.links.mentor, 'Normal Mentor')]);
  if (!cs || !ms) throw new Error('the normal session was refused');
  const started = await ask(ms, 'timer:start', new Uint8Array()).catch(() => 'x');
  if (started !== 'ok') throw new Error(`normal session did not start: ${started}`);
  const a = new Typist(cs);
  const b = new Typist(ms);
  a.peer = b;
  b.peer = a;
  await sleep(500);
  const rssBefore = rssMb(pid);
  const attacker = attack(server.url, floodName, seconds);
  await attacker.started;
  const typing = [setInterval(() => a.type(), 200), setInterval(() => b.type(), 200)];
  const health: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const t0 = performance.now();
      try {
        await (await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(10_000) })).text();
        health.push(performance.now() - t0);
      } catch {
        health.push(10_000);
      }
      await sleep(50);
    }
  })();
  let tally: Tally;
  try {
    tally = await attacker.done;
  } finally {
    probing = false;
    for (const t of typing) clearInterval(t);
    await probe;
  }
  await sleep(1000); // the last edits land
  const normal = [...a.latencies, ...b.latencies];
  count(tally, 'normal edits lost', a.inFlight.length + b.inFlight.length);
  cs.disconnect();
  ms.disconnect();
  await sleep(3000); // sessions unload, sockets close
  return { name: floodName, health, normal, rssBefore, rssAfter: rssMb(pid), tally };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

export async function benchAbuse(args: string[]): Promise<void> {
  const i = args.indexOf('--seconds');
  const seconds = i >= 0 ? Number(args[i + 1]) || 8 : 8;
  console.log(`abuse: each flood runs at most ${seconds} s next to a normal session (2 typists, 5 chars/s each); loopback; ${os.cpus().length} cores`);
  console.log(
    `targets: /api/health p99 < ${TARGET_HEALTH_P99} ms and normal edit p99 < ${TARGET_NORMAL_P99} ms during each flood; RSS within ${TARGET_RSS_GROWTH_MB} MB of its start after each`,
  );
  console.log(
    `load average before: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const server = await bootServer('ci-bench-abuse-');
  const rows: Row[] = [];
  let rssStart = NaN;
  try {
    rssStart = rssMb(server.child.pid!);
    for (const flood of FLOODS) {
      rows.push(await measure(server, flood.name, seconds));
      console.log(`  ${flood.name} done`);
    }
  } finally {
    await stopServer(server);
  }
  printTable(
    ['flood', 'health p50', 'p99', 'max', 'normal p99', 'edits', 'RSS before', 'RSS after', 'attacker got'],
    rows.map((r) => [
      r.name,
      f1(percentile(r.health, 50)),
      f1(percentile(r.health, 99)),
      f1(Math.max(...r.health)),
      f1(percentile(r.normal, 99)),
      String(r.normal.length),
      f1(r.rssBefore),
      f1(r.rssAfter),
      describeTally(r.tally),
    ]),
  );
  const met = rows.every((r) => percentile(r.health, 99) < TARGET_HEALTH_P99 && percentile(r.normal, 99) < TARGET_NORMAL_P99 && r.rssAfter - rssStart < TARGET_RSS_GROWTH_MB);
  console.log(`\nRSS at start ${f1(rssStart)} MB. Targets ${met ? 'met' : 'NOT met'} for every flood.`);
}
