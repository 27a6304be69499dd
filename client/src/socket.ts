// The one typed socket.io connection of a room page.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HandshakeAuth, Result, ServerToClientEvents } from '../../common/protocol.ts';

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectRoom(auth: HandshakeAuth): RoomSocket {
  // Same origin as the page: the server (or Vite's dev proxy) serves both. Default transports
  // (long-polling, then upgrade to WebSocket) get through proxies that block WebSockets.
  return io({ auth });
}

/** socket.io delivers binary as ArrayBuffer in browsers and Buffer in Node: normalise. */
export function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError('expected binary data');
}

/** Waits for an ack, but not forever: a silent server must not leave a button spinning. */
export function request<T>(send: (ack: (r: Result<T>) => void) => void, timeoutMs = 15_000): Promise<Result<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: { code: 'internal', message: 'The server did not answer in time.' } }), timeoutMs);
    send((r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}
