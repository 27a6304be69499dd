// `npm run bench -- abuse [--seconds 8]`: bounded floods against a real server (tsx
// server/src/index.ts as a child process, temp DATA_DIR, loopback only), each while a normal
// two-person session types. Per flood: /api/health latency, the normal session's edit propagation
// p99, the server's RSS before and after, and what the attacker got back.
// Every loop is bounded in count and in time; nothing leaves 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SessionSummary } from '../common/protocol.ts';
import { percentile, printTable } from './table.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';
const REMOTE = Symbol('remote');
const TARGET_HEALTH_P99 = 200;
const TARGET_NORMAL_P99 = 100;
const TARGET_RSS_GROWTH_MB = 100;

type Sock = Socket<ServerToClientEvents, ClientToServerEvents>;
type Reply = { ok: boolean; error?: { code: string } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the server under test (the same boot as bench/realtime.ts) ----

interface ServerProc {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

async function bootServer(): Promise<ServerProc> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-bench-abuse-'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/index.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MENTOR_KEY, RUNNER_CONCURRENCY: '1', CLIENT_DIR: path.join(dataDir, 'no-client') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    const check = () => {
      const found = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
      if (found && /runner ready|failed to start/.test(out)) {
        clearTimeout(t);
        resolve(found);
      }
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { url, child, dataDir };
}

async function stopServer(s: ServerProc): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function createSession(url: string, name: string): Promise<SessionSummary> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ candidateName: name }),
  });
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionSummary;
}

const tokenOf = (link: string) => link.split('/').pop()!;

function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** Connects; resolves with the socket, or null when the handshake was refused. */
function dial(url: string, link: string, name?: string): Promise<Sock | null> {
  const socket: Sock = io(url, { auth: { token: tokenOf(link), ...(name ? { name } : {}) }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve) => {
    const t = setTimeout(() => (socket.disconnect(), resolve(null)), 10_000);
    socket.once('connect', () => (clearTimeout(t), resolve(socket)));
    socket.once('connect_error', () => (clearTimeout(t), socket.disconnect(), resolve(null)));
  });
}

/** Sends with an ack; 'closed' when the server closed the connection, 'timeout' after 10 s. */
async function ask(socket: Sock, event: string, payload: Uint8Array): Promise<string> {
  if (!socket.connected) return 'closed';
  let onClose = () => {};
  const closed = new Promise<string>((resolve) => socket.once('disconnect', (onClose = () => resolve('closed'))));
  try {
    const s = socket.timeout(10_000) as unknown as { emitWithAck(e: string, p: Uint8Array): Promise<Reply> };
    return await Promise.race([s.emitWithAck(event, payload).then((r) => (r.ok ? 'ok' : r.error!.code)), closed]);
  } catch {
    return 'timeout';
  } finally {
    socket.off('disconnect', onClose);
  }
}

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
      if (origin !== REMOTE) socket.emit('doc:sync', message((e) => syncProtocol.writeUpdate(e, u)), () => {});
    });
    socket.emit('doc:sync', message((e) => syncProtocol.writeSyncStep1(e, this.doc)), () => {});
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

// ---- floods: each runs until `until` (and within its own count bounds), tallying replies ----

type Tally = Record<string, number>;
const count = (t: Tally, k: string, n = 1) => (t[k] = (t[k] ?? 0) + n);
const describe = (t: Tally) => Object.entries(t).map(([k, v]) => `${k} ${v}`).join(', ');

interface Flood {
  name: string;
  run(url: string, until: number): Promise<Tally>;
}

/**
 * Runs `attack` on `slots` sockets of one link at once; a socket the server closes is replaced
 * (at most `reconnects` times per slot, and never after `until`), as a determined attacker would.
 */
async function persistent(url: string, link: string, name: string, slots: number, until: number, t: Tally, attack: (sock: Sock, slot: number) => Promise<void>): Promise<void> {
  const reconnects = 40;
  await Promise.all(
    Array.from({ length: slots }, async (_, slot) => {
      for (let k = 0; k <= reconnects && performance.now() < until; k++) {
        const sock = await dial(url, link, name);
        if (!sock) {
          count(t, 'handshake refused');
          await sleep(100);
          continue;
        }
        if (k > 0) count(t, 'reconnected');
        await attack(sock, slot);
        sock.disconnect();
      }
    }),
  );
}

/** Twenty sockets on one observer link pipelining cursor updates, 50 in flight each, reconnecting when closed. */
const awarenessFlood: Flood = {
  name: 'awareness flood',
  async run(url, until) {
    const s = await createSession(url, 'Flooded');
    const t: Tally = {};
    await persistent(url, s.links.observer, 'Flood', 20, until, t, async (sock, i) => {
      for (let n = 0; n < 400 && performance.now() < until && sock.connected; n++) {
        const batch = Array.from({ length: 50 }, (_, k) => {
          const clock = n * 50 + k + 1;
          const u = message((e) => {
            encoding.writeVarUint(e, 1);
            encoding.writeVarUint(e, 5000 + i);
            encoding.writeVarUint(e, clock);
            encoding.writeVarString(e, JSON.stringify({ user: { name: 'Interviewer' }, cursor: { anchor: clock, pad: 'x'.repeat(2000) } }));
          });
          return ask(sock, 'awareness:update', u);
        });
        for (const code of await Promise.all(batch)) count(t, code);
      }
    });
    return t;
  },
};

/** Twenty sockets asking for the whole of a ~190 KB document (sync step 1), 10 in flight each. */
const step1Flood: Flood = {
  name: 'step-1 flood (190k chars)',
  async run(url, until) {
    const s = await createSession(url, 'Big');
    const mentor = await dial(url, s.links.mentor);
    if (!mentor) throw new Error('mentor refused');
    await ask(mentor, 'timer:start', new Uint8Array()).catch(() => {});
    const cand = await dial(url, s.links.candidate);
    if (!cand) throw new Error('candidate refused');
    const big = new Y.Doc();
    big.getText('code').insert(0, 'q'.repeat(190_000));
    const r = await ask(cand, 'doc:sync', message((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(big))));
    if (r !== 'ok') throw new Error(`big document refused: ${r}`);
    const t: Tally = {};
    let bytes = 0;
    const step1 = message((e) => syncProtocol.writeSyncStep1(e, new Y.Doc()));
    await persistent(url, s.links.observer, 'Reader', 20, until, t, async (sock) => {
      sock.on('doc:sync', (m) => (bytes += (m as Uint8Array).byteLength));
      for (let n = 0; n < 200 && performance.now() < until && sock.connected; n++) {
        for (const code of await Promise.all(Array.from({ length: 10 }, () => ask(sock, 'doc:sync', step1)))) count(t, code);
      }
    });
    for (const sock of [mentor, cand]) sock.disconnect();
    big.destroy();
    count(t, 'MB sent', Math.round(bytes / 1e6));
    return t;
  },
};

/** Waves of 25 simultaneous handshakes on one observer link, all held open until the end. */
const connectionStorm: Flood = {
  name: 'connection storm (one link)',
  async run(url, until) {
    const s = await createSession(url, 'Stormed');
    const held: Sock[] = [];
    const t: Tally = {};
    for (let wave = 0; wave < 40 && performance.now() < until; wave++) {
      const got = await Promise.all(Array.from({ length: 25 }, () => dial(url, s.links.observer, 'Storm')));
      for (const g of got) {
        if (g) held.push(g);
        count(t, g ? 'accepted' : 'refused');
      }
      // Let half go again, so the storm also churns.
      for (const g of held.splice(0, Math.floor(held.length / 2))) g.disconnect();
    }
    for (const g of held) g.disconnect();
    return t;
  },
};

/** One observer link joining under ever new names, each connection closed at once. */
const nameChurn: Flood = {
  name: 'name churn (one link)',
  async run(url, until) {
    const s = await createSession(url, 'Churned');
    const t: Tally = {};
    for (let i = 0; i < 600 && performance.now() < until; i += 10) {
      const got = await Promise.all(Array.from({ length: 10 }, (_, k) => dial(url, s.links.observer, `Name ${i + k}`)));
      for (const g of got) {
        count(t, g ? 'accepted' : 'refused');
        g?.disconnect();
      }
    }
    return t;
  },
};

/** Pending updates (base withheld), formatting with big values, and over-size payloads. */
const badUpdates: Flood = {
  name: 'oversized + pending updates',
  async run(url, until) {
    const s = await createSession(url, 'Target');
    const mentor = await dial(url, s.links.mentor);
    if (!mentor) throw new Error('mentor refused');
    await ask(mentor, 'timer:start', new Uint8Array()).catch(() => {});
    const t: Tally = {};
    const send = (sock: Sock, u: Uint8Array) => ask(sock, 'doc:sync', message((e) => syncProtocol.writeUpdate(e, u)));
    await persistent(url, s.links.candidate, '', 5, until, t, async (sock, i) => {
      for (let n = 0; n < 100 && performance.now() < until && sock.connected; n++) {
        const d = new Y.Doc();
        d.getText('code').insert(0, `base ${i} ${n}`); // never sent
        const sv = Y.encodeStateVector(d);
        d.getText('code').insert(3, 'p'.repeat(20_000));
        const pending = Y.encodeStateAsUpdate(d, sv);
        const f = new Y.Doc();
        f.getText('code').insert(0, 'abc');
        const sv2 = Y.encodeStateVector(f);
        f.getText('code').format(0, 3, { bold: 'z'.repeat(100_000) });
        const format = Y.encodeStateAsUpdate(f, sv2);
        for (const code of await Promise.all([send(sock, pending), send(sock, format), ask(sock, 'doc:sync', new Uint8Array(300 * 1024))])) count(t, code);
        d.destroy();
        f.destroy();
      }
    });
    mentor.disconnect();
    return t;
  },
};

// ---- one flood alongside the normal session, measured ----

interface Row {
  name: string;
  health: number[];
  normal: number[];
  rssBefore: number;
  rssAfter: number;
  tally: Tally;
}

async function measure(server: ServerProc, flood: Flood, seconds: number): Promise<Row> {
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
  const typing = [setInterval(() => a.type(), 200), setInterval(() => b.type(), 200)];
  const health: number[] = [];
  const until = performance.now() + seconds * 1000;
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
    tally = await flood.run(server.url, until);
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
  return { name: flood.name, health, normal, rssBefore, rssAfter: rssMb(pid), tally };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

export async function benchAbuse(args: string[]): Promise<void> {
  const i = args.indexOf('--seconds');
  const seconds = i >= 0 ? Number(args[i + 1]) || 8 : 8;
  console.log(`abuse: each flood runs at most ${seconds} s next to a normal session (2 typists, 5 chars/s each); loopback; ${os.cpus().length} cores`);
  console.log(`targets: /api/health p99 < ${TARGET_HEALTH_P99} ms and normal edit p99 < ${TARGET_NORMAL_P99} ms during each flood; RSS within ${TARGET_RSS_GROWTH_MB} MB of its start after each`);
  console.log(`load average before: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const server = await bootServer();
  const rows: Row[] = [];
  let rssStart = NaN;
  try {
    rssStart = rssMb(server.child.pid!);
    for (const flood of [awarenessFlood, step1Flood, connectionStorm, nameChurn, badUpdates]) {
      rows.push(await measure(server, flood, seconds));
      console.log(`  ${flood.name} done`);
    }
  } finally {
    await stopServer(server);
  }
  printTable(
    ['flood', 'health p50', 'p99', 'max', 'normal p99', 'edits', 'RSS before', 'RSS after', 'attacker got'],
    rows.map((r) => [r.name, f1(percentile(r.health, 50)), f1(percentile(r.health, 99)), f1(Math.max(...r.health)), f1(percentile(r.normal, 99)), String(r.normal.length), f1(r.rssBefore), f1(r.rssAfter), describe(r.tally)]),
  );
  const met = rows.every((r) => percentile(r.health, 99) < TARGET_HEALTH_P99 && percentile(r.normal, 99) < TARGET_NORMAL_P99 && r.rssAfter - rssStart < TARGET_RSS_GROWTH_MB);
  console.log(`\nRSS at start ${f1(rssStart)} MB. Targets ${met ? 'met' : 'NOT met'} for every flood.`);
}
