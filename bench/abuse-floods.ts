// The abuse bench's attacks. Run as their own process (`tsx bench/abuse-floods.ts NAME URL
// SECONDS`, started by bench/abuse.ts), so that the work of generating a flood never slows the
// harness that measures the server: a real attacker is on another machine. Prints the tally of
// what the attacker got back as one JSON line. Every loop is bounded in count and in time.
import { pathToFileURL } from 'node:url';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as encoding from 'lib0/encoding';
import { ask, count, createSession, dial, message, sleep, type Sock, type Tally } from './abuse-client.ts';

// ---- floods: each runs until `until` (and within its own count bounds), tallying replies ----

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
export const awarenessFlood: Flood = {
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
    const r = await ask(
      cand,
      'doc:sync',
      message((e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(big))),
    );
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
    const send = (sock: Sock, u: Uint8Array) =>
      ask(
        sock,
        'doc:sync',
        message((e) => syncProtocol.writeUpdate(e, u)),
      );
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

export const FLOODS: readonly Flood[] = [awarenessFlood, step1Flood, connectionStorm, nameChurn, badUpdates];

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [name, url, seconds] = process.argv.slice(2);
  const flood = FLOODS.find((f) => f.name === name);
  if (!flood || !url || !(Number(seconds) > 0)) {
    console.error(`usage: tsx bench/abuse-floods.ts NAME URL SECONDS (NAME one of: ${FLOODS.map((f) => f.name).join('; ')})`);
    process.exit(2);
  }
  console.log('started'); // the harness measures from here
  const tally = await flood.run(url, performance.now() + Number(seconds) * 1000);
  console.log(JSON.stringify(tally));
  process.exit(0);
}
