// The call's signalling over socket.io: join, leave, mute/camera state, and offers, answers and ICE
// candidates relayed between members of the same session's call. Membership is a socket.io room
// per session (`fetchSockets()` sees every node's members through the adapter); a signal is only
// delivered to a socket id found in the sender's call room, so it can reach no other session and
// no one outside the call. Policy, timeline and rates are the session core's (sessions/call.ts).
import { CALL_LIMITS, type CallMember, type IceServer } from '../../../common/call.ts';
import type { ClientToServerEvents, Result } from '../../../common/protocol.ts';
import type { Calls } from '../sessions/call.ts';
import { fail, ok } from '../sessions/errors.ts';
import type { Identity } from '../sessions/service-types.ts';
import type { LogFn } from '../log.ts';
import { iceServersFor } from '../ice-servers.ts';
import { CallMediaPayload, CallSignalPayload, parse } from './schemas.ts';
import type { IoServer, SocketData } from './index.ts';
import type { Socket } from 'socket.io';

export const callRoom = (sessionId: string) => `s:${sessionId}:call`;

type On = (event: keyof ClientToServerEvents, handle: (args: unknown[]) => Result<unknown> | Promise<Result<unknown>>) => void;
type CallSocket = Pick<Socket, 'id' | 'connected' | 'join' | 'leave' | 'to'> & { data: SocketData };

function memberOf(s: { id: string; data: Partial<SocketData> }): CallMember | null {
  const who = s.data.who;
  const media = s.data.call;
  if (!who || !media || who.role === 'observer') return null;
  return { peerId: s.id, participantId: who.participant.id, name: who.participant.name, role: who.role, audio: media.audio, video: media.video };
}

/** Joins are checked and made one at a time per session on this node, so two at once cannot both take the last place. */
export class JoinQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(task, task);
    const settled = run.catch(() => {});
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return run;
  }
}

export interface CallDeps {
  calls: Calls;
  iceServers: readonly IceServer[];
  /** TURN_SECRET: TURN entries without credentials get a short-lived pair per member (ice-servers.ts). */
  turnSecret: string | undefined;
  joins: JoinQueue;
}

export function callHandlers(io: IoServer, socket: CallSocket, { calls, iceServers, turnSecret, joins }: CallDeps, on: On, log: LogFn): { disconnected(): void } {
  const who: Identity = socket.data.who;
  const room = callRoom(who.sessionId);

  const leave = (): boolean => {
    const media = socket.data.call;
    if (!media) return false;
    delete socket.data.call;
    void socket.leave(room);
    io.to(room).emit('call:left', socket.id);
    void calls.left(who, socket.id, media);
    return true;
  };

  on('call:join', async ([payload]) => {
    const p = parse(CallMediaPayload, payload);
    if (!p.ok) return p;
    const admitted = calls.admit(who);
    if (!admitted.ok) return admitted;
    if (socket.data.call) return fail('conflict', 'You are in the call already.');
    return joins.run(room, async () => {
      const present = await io.in(room).fetchSockets();
      if (present.length >= CALL_LIMITS.members) return fail('conflict', `The call is full: at most ${CALL_LIMITS.members} people.`);
      await calls.joined(who, p.value);
      if (!socket.connected) {
        // Gone while the join was stored: record the leave, as the disconnect handler could not.
        void calls.left(who, socket.id, p.value);
        return fail('conflict', 'The connection closed.');
      }
      socket.data.call = p.value;
      await socket.join(room);
      const me = memberOf(socket);
      if (me) socket.to(room).emit('call:joined', me);
      const members = present.map(memberOf).filter((m): m is CallMember => m !== null);
      // Wall-clock time: the TURN server checks the expiry against its own clock.
      return ok({ you: socket.id, members, iceServers: iceServersFor(iceServers, turnSecret, who.participant.id, Date.now()) });
    });
  });

  // Every call event enters through the policy, even those that only make sense once in the call.
  on('call:leave', () => {
    const admitted = calls.admit(who);
    if (!admitted.ok) return admitted;
    leave();
    return ok(null);
  });

  on('call:state', ([payload]) => {
    const p = parse(CallMediaPayload, payload);
    if (!p.ok) return p;
    const admitted = calls.admit(who);
    if (!admitted.ok) return admitted;
    if (!socket.data.call) return fail('conflict', 'Join the call first.');
    socket.data.call = p.value;
    const me = memberOf(socket);
    if (me) socket.to(room).emit('call:state', me);
    return ok(null);
  });

  on('call:signal', async ([payload]) => {
    const p = parse(CallSignalPayload, payload);
    if (!p.ok) return p;
    const { to, description, candidate } = p.value;
    const sdpBytes = Buffer.byteLength(description?.sdp ?? '', 'utf8');
    if (sdpBytes > CALL_LIMITS.sdpBytes) return fail('too_large', `A session description is ${sdpBytes} bytes; at most ${CALL_LIMITS.sdpBytes / 1024} KiB may be sent.`);
    const allowed = calls.signal(who, socket.id);
    if (!allowed.ok) return allowed;
    if (!socket.data.call) return fail('conflict', 'Join the call first.');
    if (to === socket.id) return fail('bad_request', 'A signal to yourself.');
    if (!(await inCall(to))) return fail('not_found', 'That person is not in this call.');
    io.to(to).emit('call:signal', { from: socket.id, ...(description ? { description } : {}), ...(candidate !== undefined ? { candidate } : {}) });
    return ok(null);
  });

  /** Whether the socket `id` is in this session's call: this node's sockets first, else every node's. */
  async function inCall(id: string): Promise<boolean> {
    const local = io.sockets.sockets.get(id);
    if (local) return local.rooms.has(room);
    try {
      return (await io.in(room).fetchSockets()).some((s) => s.id === id);
    } catch (err) {
      log('looking up the call members failed', err);
      return false;
    }
  }

  return {
    disconnected: () => {
      leave();
    },
  };
}
