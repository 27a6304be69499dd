// socket.io transport: authenticates the handshake, validates each event, checks the role, calls
// the session service and replies through the ack. Holds no session logic.
import type http from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { ClientToServerEvents, ConnectErrorData, Result, ServerToClientEvents } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import { seesHidden } from '../../../common/policy.ts';
import type { LogFn } from '../log.ts';
import { parseSyncMessage } from '../sessions/doc.ts';
import { ServiceError, fail, ok, toErrorReply } from '../sessions/errors.ts';
import type { Identity, SessionService } from '../sessions/service.ts';
import { runViewFor } from '../sessions/views.ts';
import { hashToken, isTokenShape } from '../sessions/tokens.ts';
import { Budgets, ConnectionCounts } from './budgets.ts';
import { RateLimiter } from './rate-limit.ts';
import type { CallMedia, IceServer } from '../../../common/call.ts';
import { JoinQueue, callHandlers, type CallDeps } from './call.ts';
import { ChatSendPayload, HandshakeAuthSchema, NoteAddPayload, consoleStdin, SignalPayload, TimerAddPayload, binary, parse } from './schemas.ts';

export interface SocketData {
  who: Identity;
  /** The signed-in account of an interviewer who joined with their cookie (not a guest with the link). */
  accountId?: string;
  /** In the session's call (realtime/call.ts), with what this connection sends. */
  call?: CallMedia;
}

/** Mentor actions recorded in the audit log. */
export type MentorAction = 'session.start' | 'session.add-time' | 'session.end';

/**
 * Decides whether a handshake may go on as an account: undefined for a guest (no sign-in, or not
 * an interviewer link), the account's id and name for a signed-in interviewer allowed by the
 * policy; throws a ServiceError to refuse (a sign-in that ended or a disabled account, an
 * interview not shared with the account).
 */
export type AccountGate = (cookieHeader: string | undefined, token: unknown) => Promise<{ accountId: string; name: string } | undefined>;

/** The room of every socket an account holds open, on every node: disabling the account closes them. */
export const accountRoom = (accountId: string) => `account:${accountId}`;

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
/** Incoming events are untrusted: handlers see raw arguments, never the typed signatures. */
type RawListener = (...args: unknown[]) => void;

const room = (sessionId: string) => `s:${sessionId}`;
/** Mentors get notes and integrity signals. */
const mentorRoom = (sessionId: string) => `s:${sessionId}:mentor`;
/** Connections whose role has 'see:hidden' (common/policy.ts) get runs unredacted; the rest of the room gets them redacted. */
const hiddenRoom = (sessionId: string) => `s:${sessionId}:hidden`;

/** Replies that mean "you are sending too much or garbage"; see LIMITS.refusalsBeforeDisconnect. */
const FLOOD_REPLIES: ReadonlySet<string> = new Set(['busy', 'rate_limited', 'too_large', 'bad_request']);

export interface RealtimeOptions {
  log?: LogFn;
  /** Behind a reverse proxy: count connections per address by the client X-Forwarded-For names. */
  trustProxy?: boolean;
  /** Extra socket.io options, e.g. the Redis adapter of several nodes. */
  io?: Partial<ServerOptions>;
  /**
   * Several nodes: document updates go to this node's connections only. Each node applies an
   * update to its own copy before its connections see it (server/src/cluster/), so a client
   * never builds on an edit its node does not have yet.
   */
  localDocUpdates?: boolean;
  accountGate?: AccountGate;
  /** Records an interviewer's start, extra time or end (the audit log). */
  onMentorAction?: (action: MentorAction, sessionId: string, accountId: string | undefined, detail: Record<string, unknown>, address: string) => void;
  /** STUN/TURN servers for the call (ICE_SERVERS); none by default. */
  iceServers?: readonly IceServer[];
  /** Mints TURN credentials per call member (TURN_SECRET, ice-servers.ts). */
  turnSecret?: string;
}

/** The client's address: the first X-Forwarded-For entry behind a trusted proxy (as express's req.ip), else the peer. */
export function clientAddress(handshake: { address: string; headers: Record<string, string | string[] | undefined> }, trustProxy: boolean): string {
  const forwarded = handshake.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return trustProxy && first ? first : handshake.address;
}

export function attachRealtime(httpServer: http.Server, service: SessionService, options: RealtimeOptions = {}): IoServer {
  const log: LogFn = options.log ?? ((msg: string, err?: unknown) => console.error(`[realtime] ${msg}`, err ?? ''));
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    // Above our own per-event limits so that oversize payloads get a 'too_large' reply; beyond
    // this socket.io drops the connection.
    maxHttpBufferSize: 2 * LIMITS.docSyncBytes,
    // A silent network (cable pulled, laptop asleep) is noticed within ~5 s on both sides, so the
    // room can say so and stop offering Run; the default (25 s + 20 s) left people typing into a void.
    pingInterval: 2_500,
    pingTimeout: 2_500,
    ...options.io,
  });

  const unsubscribe = subscribeRooms(io, service, options.localDocUpdates === true);
  httpServer.once('close', () => unsubscribe.forEach((off) => off()));
  const budgets = new Budgets();
  const counts = new ConnectionCounts();
  const joins = new JoinQueue();

  io.use((socket, next) => {
    const auth = HandshakeAuthSchema.safeParse(socket.handshake.auth);
    const { token, name } = auth.success ? auth.data : { token: undefined, name: undefined };
    const refuse = (reply: ConnectErrorData) => next(Object.assign(new Error(reply.message), { data: reply }));
    const badName = auth.success ? undefined : auth.error.issues.find((i) => i.path[0] === 'name');
    if (badName) return refuse({ code: 'bad_request', message: badName.message });
    // Counted from here until the transport closes (whether or not the handshake completes), so
    // connections opened and dropped mid-handshake cannot leak a count.
    const link = isTokenShape(token) ? hashToken(token) : '';
    if (link && budgets.pausedHandshake(link, name ?? '')) {
      return refuse({ code: 'rate_limited', message: `Too many refused messages; wait ${LIMITS.floodPauseSeconds} seconds.` });
    }
    const address = clientAddress(socket.handshake, options.trustProxy ?? false);
    const full = counts.full(link, address);
    if (full) return refuse(full);
    counts.add(link, address);
    socket.conn.once('close', () => counts.remove(link, address));
    const gate = options.accountGate ? options.accountGate(socket.handshake.headers.cookie, token) : Promise.resolve(undefined);
    gate
      .then(async (account) => {
        // A signed-in interviewer joins under their account's name, whatever the page sent.
        const who = await service.authenticate(token, account?.name ?? name);
        if (account) socket.data.accountId = account.accountId;
        return who;
      })
      .then(
        (who) => {
          budgets.rememberHandshake(link, name ?? '', who);
          if (budgets.paused(who)) {
            service.release(who);
            return refuse({ code: 'rate_limited', message: `Too many refused messages from ${who.participant.name}; wait ${LIMITS.floodPauseSeconds} seconds.` });
          }
          socket.data.who = who;
          next();
        },
        (err: unknown) => {
          if (!(err instanceof ServiceError)) log('handshake failed', err);
          refuse(toErrorReply(err));
        },
      );
  });

  io.on('connection', (socket) => {
    if (socket.data.accountId) void socket.join(accountRoom(socket.data.accountId));
    onConnection(io, socket, service, budgets, log, { calls: service.calls, iceServers: options.iceServers ?? [], turnSecret: options.turnSecret, joins }, (action, detail) =>
      options.onMentorAction?.(action, socket.data.who.sessionId, socket.data.accountId, detail, clientAddress(socket.handshake, options.trustProxy ?? false)),
    );
  });
  return io;
}

function onConnection(
  io: IoServer,
  socket: IoSocket,
  service: SessionService,
  budgets: Budgets,
  log: LogFn,
  callDeps: CallDeps,
  acted: (action: MentorAction, detail: Record<string, unknown>) => void,
): void {
  const who = socket.data.who;
  // Connection lines are bounded per session; a line says how many were left out before it.
  const logConnection = (msg: string, fields: Record<string, unknown>, warn = false) => {
    const line = budgets.logLine(who.sessionId);
    if (!line.write) return;
    const all = { session: who.sessionId, role: who.role, participant: who.participant.id, ...fields, ...(line.skipped ? { notLogged: line.skipped } : {}) };
    (warn ? log.warn : log.info)?.(msg, all);
  };
  logConnection('connected', {});
  // Attach first: the others hear about the newcomer, who gets the list in its state instead.
  service.attach(who);
  const rooms = [room(who.sessionId)];
  if (who.role === 'mentor') rooms.push(mentorRoom(who.sessionId));
  if (seesHidden(who.mode, who.role)) rooms.push(hiddenRoom(who.sessionId));
  void socket.join(rooms);
  socket.on('disconnect', (reason) => {
    // Before detach, which may unload the session: a closed connection leaves the call.
    call.disconnected();
    service.detach(who, socket.id);
    logConnection('disconnected', { reason });
  });

  // The state goes first; events that arrive meanwhile wait for it.
  const ready = (async () => {
    socket.emit('session:state', await service.view(who));
    if (service.canWriteNow(who)) socket.emit('doc:sync', service.step1(who.sessionId));
    const awareness = service.awarenessState(who.sessionId);
    if (awareness) socket.emit('awareness:update', awareness);
  })().catch((err: unknown) => {
    log('sending the session state failed', err);
    socket.disconnect(true);
  });

  const limiter = new RateLimiter(LIMITS.eventsPerSecond, LIMITS.eventBurst);
  // Refusals cost little each, but a client that keeps sending through them still keeps the
  // server busy answering. Counted per participant (many sockets share one allowance) and in a
  // bucket rather than "in a row": a flood that gets an occasional success is still a flood.
  let closing = false;
  const noteReply = (result: Result<unknown>) => {
    if (result.ok || !FLOOD_REPLIES.has(result.error.code) || closing) return;
    if (budgets.refused(who)) return;
    closing = true;
    logConnection('closing a connection that keeps sending through refusals', {}, true);
    socket.disconnect(true);
  };
  const raw = socket as unknown as { on(event: string, listener: RawListener): void };
  const on = (event: keyof ClientToServerEvents, handle: (args: unknown[]) => Result<unknown> | Promise<Result<unknown>>) => {
    raw.on(event, (...args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (args.pop() as (r: Result<unknown>) => void) : undefined;
      void (async () => {
        let result: Result<unknown>;
        try {
          await ready;
          result = limiter.take() ? await handle(args) : fail('busy', 'Too many messages at once; slow down.');
        } catch (err) {
          if (!(err instanceof ServiceError)) log(`${event} failed`, err);
          result = { ok: false, error: toErrorReply(err) };
        }
        noteReply(result);
        try {
          ack?.(result);
        } catch (err) {
          log(`${event} ack failed`, err);
        }
      })();
    });
  };
  // Handlers only validate payloads: who may do what (common/policy.ts) is the service's to decide.
  on('doc:sync', async ([payload]) => {
    const bytes = binary(payload, LIMITS.docSyncBytes);
    if (!bytes.ok) return bytes;
    const msg = parseSyncMessage(bytes.value);
    if (msg.type === 'step1') {
      // Answering costs in proportion to the document: bounded per participant and per session.
      if (!budgets.maySync(who)) return fail('rate_limited', 'Too many sync requests for this document; try again in a few seconds.');
      const step2 = service.step2(who, msg.stateVector);
      if (!step2.ok) return step2;
      budgets.syncSent(who, step2.value.byteLength);
      socket.emit('doc:sync', step2.value);
      return ok(null);
    }
    return service.write(who, socket.id, msg.update);
  });

  on('awareness:update', ([payload]) => {
    const bytes = binary(payload, LIMITS.awarenessBytes);
    if (!bytes.ok) return bytes;
    // Cursor updates are relayed to everyone in the room: bounded per participant and per session.
    const recipients = (socket.nsp.adapter.rooms.get(room(who.sessionId))?.size ?? 1) - 1;
    if (!budgets.takeAwareness(who, bytes.value.byteLength, recipients)) return fail('rate_limited', 'Too many cursor updates; slow down.');
    return service.awareness(who, socket.id, bytes.value);
  });

  on('run:request', () => service.requestRun(who));

  on('console:run', async ([payload]) => {
    const stdin = consoleStdin(payload);
    return stdin.ok ? await service.requestConsole(who, stdin.value) : stdin;
  });

  /** The result, after recording the action in the audit log when it succeeded. */
  const audited = async <T>(action: MentorAction, result: Promise<Result<T>>, detail: Record<string, unknown> = {}) => {
    const r = await result;
    if (r.ok && who.role === 'mentor') acted(action, detail);
    return r;
  };

  on('timer:start', () => audited('session.start', Promise.resolve(service.startTimer(who))));

  on('hint:reveal', () => service.hints.reveal(who));

  on('timer:add', async ([payload]) => {
    const p = parse(TimerAddPayload, payload);
    return p.ok ? await audited('session.add-time', Promise.resolve(service.addTime(who, p.value.minutes)), { minutes: p.value.minutes }) : p;
  });

  on('session:end', () => audited('session.end', Promise.resolve(service.endEarly(who))));

  on('note:add', async ([payload]) => {
    const p = parse(NoteAddPayload, payload);
    return p.ok ? await service.addNote(who, p.value.text) : p;
  });

  on('chat:send', async ([payload]) => {
    const p = parse(ChatSendPayload, payload);
    return p.ok ? await service.sendChat(who, p.value.text) : p;
  });

  const call = callHandlers(io, socket, callDeps, on, log);

  on('signal:report', async ([payload]) => {
    const p = parse(SignalPayload, payload);
    return p.ok ? await service.signal(who, p.value) : p;
  });
}

/** What the session core reports, delivered to socket.io rooms; runs are redacted here, by 'see:hidden'. */
function subscribeRooms(io: IoServer, service: SessionService, localDocUpdates: boolean): Array<() => void> {
  const toRoom = (sessionId: string, except: string | null) => (except === null ? io.to(room(sessionId)) : io.to(room(sessionId)).except(except));
  // With the cluster, every node hears each stored update (relayed) and sends it to its own sockets.
  const docRoom = (sessionId: string, except: string | null) => {
    const to = (localDocUpdates ? io.local : io).to(room(sessionId));
    return except === null ? to : to.except(except);
  };
  return [
    service.on('timer', (id, timer, status) => io.to(room(id)).emit('timer:update', timer, status)),
    service.on('warning', (id, minutes) => io.to(room(id)).emit('timer:warning', minutes)),
    service.on('runQueued', (id, queued) => io.to(room(id)).emit('run:queued', queued)),
    service.on('runResult', (id, run, requestedBy, mode) => {
      io.to(hiddenRoom(id)).emit('run:result', runViewFor(run, requestedBy, mode, true));
      io.to(room(id))
        .except(hiddenRoom(id))
        .emit('run:result', runViewFor(run, requestedBy, mode, false));
    }),
    service.on('note', (id, note) => io.to(mentorRoom(id)).emit('note:added', note)),
    // The chat is the room's: mentors, candidate and observers alike.
    service.on('chat', (id, message) => io.to(room(id)).emit('chat:added', message)),
    service.on('signal', (id, event) => io.to(mentorRoom(id)).emit('signal:added', event)),
    // A console run holds nothing hidden (no driver, no cases): everyone sees it.
    service.on('consoleQueued', (id, queued) => io.to(room(id)).emit('console:queued', queued)),
    service.on('consoleResult', (id, run) => io.to(room(id)).emit('console:result', run)),
    service.on('presence', (id, participant) => io.to(room(id)).emit('session:presence', participant)),
    service.on('docUpdate', (id, message, except) => docRoom(id, except).emit('doc:sync', message)),
    service.on('awareness', (id, update, except) => toRoom(id, except).emit('awareness:update', update)),
    service.on('reset', (id) => io.in(room(id)).disconnectSockets(true)),
  ];
}
