// Several server nodes on one Redis and one database (REDIS_URL). Loaded only when REDIS_URL is
// set, so a single process never imports Redis. What each part guarantees is written in the
// README's architecture section; in short:
// - socket.io rooms span the nodes (Redis adapter): awareness, runs, notes, timer and presence
//   events reach every client of a session wherever it is connected;
// - documents: each node with clients of a session keeps its own Y.Doc; an edit is stored first,
//   then relayed here so the other nodes apply it (idempotent) before their clients see it;
// - timers: the holder of the session's lease arms them; timer changes are conditional in the
//   store (one of two racing nodes wins) and relayed here; the final grading runs on one node, and
//   the database's unique index on final runs makes a second one impossible anyway.
import os from 'node:os';
import crypto from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ServerOptions } from 'socket.io';
import type { Coordination } from '../sessions/coordination.ts';
import { parseSyncMessage } from '../sessions/doc.ts';
import type { SessionService } from '../sessions/service.ts';
import type { Store, TimerState } from '../store/types.ts';
import { Leases } from './leases.ts';
import { OwnedTimers, ownerKey } from './timers.ts';

export interface ClusterOptions {
  redisUrl: string;
  /** Prepended to every Redis key and channel (several deployments, or tests, share one Redis). */
  prefix: string;
  /** How long a dead node keeps its sessions before another takes them over. */
  leaseMs: number;
  store: Store;
  log: (msg: string, err?: unknown) => void;
}

export interface Cluster {
  readonly node: string;
  /** For attachRealtime: the Redis adapter. */
  readonly io: Partial<ServerOptions>;
  readonly coordination: Coordination;
  /** Wires the relays to the service (after attachRealtime set its events) and starts sweeping. */
  attach(service: SessionService): void;
  close(): Promise<void>;
}

export function redisClient(url: string, log: (msg: string, err?: unknown) => void): Redis {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 20 });
  let reported = false;
  redis.on('error', (err: unknown) => {
    if (!reported) log(`redis (${url}) error; retrying`, err);
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}

export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const node = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  const pub = redisClient(o.redisUrl, o.log);
  const sub = redisClient(o.redisUrl, o.log);
  const adapterSub = redisClient(o.redisUrl, o.log);
  await pub.ping(); // fail at start, not at the first edit, when Redis is unreachable
  const leases = new Leases(pub, o.prefix, node, o.leaseMs, o.log);
  const docChannel = `${o.prefix}doc`;
  const timerChannel = `${o.prefix}timer`;
  let timers: OwnedTimers | undefined;
  let sweeping: NodeJS.Timeout | undefined;

  const coordination: Coordination = {
    timers(clock, handlers) {
      timers = new OwnedTimers(clock, handlers, leases, o.log);
      return timers;
    },
    timerChanged(sessionId, state) {
      pub.publish(timerChannel, JSON.stringify({ node, sessionId, state })).catch((err: unknown) => o.log('relaying a timer change failed', err));
    },
    async claimRun(sessionId) {
      const key = `run:${sessionId}`;
      // The node that ran the previous run announces its result just before it gives the slot
      // back: a request sent on seeing the result may arrive first. Wait that out briefly.
      for (let tries = 0; !(await leases.acquire(key)); tries++) {
        if (tries >= 10) return null;
        await new Promise((r) => setTimeout(r, 50));
      }
      return () => void leases.release(key).catch((err: unknown) => o.log(`releasing ${key} failed`, err));
    },
    async finalGrading(sessionId, grade) {
      const key = `grade:${sessionId}`;
      if (!(await leases.acquire(key))) return; // another node is grading it
      try {
        if (!(await o.store.hasFinalRun(sessionId))) await grade();
      } finally {
        await leases.release(key);
      }
    },
  };

  async function sweep(service: SessionService, withEnded: boolean): Promise<void> {
    timers?.claimAll();
    // Live sessions no node holds (their owner died and no client came back): take them over.
    for (const s of await o.store.listSessions({ status: 'live' })) {
      if (timers?.wants(s.id)) continue;
      if (!(await leases.acquire(ownerKey(s.id)))) continue;
      await service.resume(s.id);
      if (!timers?.wants(s.id)) await leases.release(ownerKey(s.id));
    }
    if (!withEnded) return;
    // Ended, never graded, nobody grading: the node grading it died.
    for (const s of await o.store.listSessions({ status: 'ended' })) {
      if ((await pub.exists(`${o.prefix}grade:${s.id}`)) || (await o.store.hasFinalRun(s.id))) continue;
      await service.resume(s.id);
    }
  }

  return {
    node,
    io: { adapter: createAdapter(pub, adapterSub, { key: `${o.prefix}socket.io` }) },
    coordination,
    attach(service) {
      // Updates stored here go to the other nodes; relayed ones came from there and stop here.
      service.on('docUpdate', (sessionId, message, _except, updateId, origin) => {
        if (origin !== 'local') return;
        pub.publish(docChannel, Buffer.from(encodeRelay(node, sessionId, updateId, message))).catch((err: unknown) => o.log('relaying an update failed', err));
      });
      sub.on('messageBuffer', (channel: Buffer, payload: Buffer) => {
        const name = channel.toString();
        try {
          if (name === docChannel) {
            const m = decodeRelay(payload);
            if (m.node === node) return;
            const parsed = parseSyncMessage(m.message);
            if (parsed.type !== 'update') return;
            // Applied and sent to this node's sockets by the service (a 'relay' docUpdate) when loaded here.
            service.remoteUpdate(m.sessionId, parsed.update, m.updateId).catch((err: unknown) => o.log(`applying a relayed update of session ${m.sessionId} failed`, err));
          } else if (name === timerChannel) {
            const m = JSON.parse(payload.toString()) as { node: string; sessionId: string; state: TimerState };
            if (m.node !== node) service.remoteTimer(m.sessionId, m.state);
          }
        } catch (err) {
          o.log(`bad message on ${name}`, err);
        }
      });
      void sub.subscribe(docChannel, timerChannel).catch((err: unknown) => o.log('subscribing failed', err));
      let round = 0;
      let busy = false;
      sweeping = setInterval(
        () => {
          if (busy) return;
          busy = true;
          sweep(service, round++ % 15 === 0)
            .catch((err: unknown) => o.log('sweeping sessions failed', err))
            .finally(() => (busy = false));
        },
        Math.max(200, Math.floor(o.leaseMs / 5)),
      );
      sweeping.unref();
    },
    async close() {
      if (sweeping) clearInterval(sweeping);
      await leases.close();
      for (const r of [sub, adapterSub, pub]) r.disconnect();
    },
  };
}

function encodeRelay(node: string, sessionId: string, updateId: number, message: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, node);
  encoding.writeVarString(e, sessionId);
  encoding.writeVarUint(e, updateId);
  encoding.writeVarUint8Array(e, message);
  return encoding.toUint8Array(e);
}

function decodeRelay(payload: Uint8Array): { node: string; sessionId: string; updateId: number; message: Uint8Array } {
  const d = decoding.createDecoder(payload);
  return { node: decoding.readVarString(d), sessionId: decoding.readVarString(d), updateId: decoding.readVarUint(d), message: decoding.readVarUint8Array(d) };
}
