// Socket.io client helpers shared by the abuse bench's harness (bench/abuse.ts) and its attacker
// process (bench/abuse-floods.ts): sessions by the mentor key, handshakes, acked sends, tallies.
import * as encoding from 'lib0/encoding';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, SessionSummary } from '../common/protocol.ts';
import { MENTOR_KEY } from './server-process.ts';

export type Sock = Socket<ServerToClientEvents, ClientToServerEvents>;
type Reply = { ok: boolean; error?: { code: string } };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Tally = Record<string, number>;
export const count = (t: Tally, k: string, n = 1) => (t[k] = (t[k] ?? 0) + n);
export const describeTally = (t: Tally) =>
  Object.entries(t)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export async function createSession(url: string, name: string): Promise<SessionSummary> {
  const res = await fetch(`${url}/api/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ candidateName: name }),
  });
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${await res.text()}`);
  return (await res.json()) as SessionSummary;
}

const tokenOf = (link: string) => link.split('/').pop()!;

export function message(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** Connects; resolves with the socket, or null when the handshake was refused. */
export function dial(url: string, link: string, name?: string): Promise<Sock | null> {
  const socket: Sock = io(url, { auth: { token: tokenOf(link), ...(name ? { name } : {}) }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve) => {
    const t = setTimeout(() => (socket.disconnect(), resolve(null)), 10_000);
    socket.once('connect', () => (clearTimeout(t), resolve(socket)));
    socket.once('connect_error', () => (clearTimeout(t), socket.disconnect(), resolve(null)));
  });
}

/** Sends with an ack; 'closed' when the server closed the connection, 'timeout' after 10 s. */
export async function ask(socket: Sock, event: string, payload: Uint8Array): Promise<string> {
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
