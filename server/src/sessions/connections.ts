// Who is connected to which loaded session: a link token resolved to an identity, each connection
// counted (a session with connections stays loaded), and presence announced when someone's first
// connection opens or last one closes.
import { LIMITS } from '../../../common/protocol.ts';
import type { ParticipantRecord, Store } from '../store/types.ts';
import type { Emit } from './bus.ts';
import { ServiceError } from './errors.ts';
import type { Background, Live, LiveSessions } from './live.ts';
import { participantNamed, presenceOf } from './presence.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';
import { hashToken, isTokenShape } from './tokens.ts';
import { cleanName } from './views.ts';

export interface ConnectionDeps {
  store: Store;
  clock: Clock;
  lives: LiveSessions;
  background: Background;
  emit: Emit;
  /** Frees the session when nothing keeps it loaded any more. */
  maybeUnload(live: Live): void;
}

export class Connections {
  /** The Live each connection was counted in; after an eviction the old one is stale. */
  private counted = new WeakMap<Identity, Live>();

  constructor(private readonly d: ConnectionDeps) {}

  /** Resolves a link token to who is connecting, loading the session. Counts as a connection until detach. */
  async authenticate(token: unknown, name: unknown): Promise<Identity> {
    if (!isTokenShape(token)) throw new ServiceError('unauthorized', 'This link is not valid.');
    const t = await this.d.store.findToken(hashToken(token));
    if (!t || t.role === 'review') throw new ServiceError('unauthorized', 'This link is not valid.');
    const live = await this.d.lives.load(t.sessionId);
    live.conns++; // keeps it loaded from here on
    const role = t.role;
    const wanted = typeof name === 'string' ? cleanName(name, LIMITS.participantNameChars) : '';
    const pname = role === 'candidate' ? live.record.candidateName : wanted || (role === 'mentor' ? 'Mentor' : 'Observer');
    let participant: ParticipantRecord;
    try {
      participant = await participantNamed(this.d.store, live, role, pname, this.d.clock.now());
    } catch (err) {
      live.conns--;
      this.d.maybeUnload(live);
      throw err;
    }
    const who: Identity = { sessionId: t.sessionId, mode: live.record.mode, role, participant };
    this.counted.set(who, live);
    return who;
  }

  /** The handshake was refused after authenticate(): the connection never opens. */
  release(who: Identity): void {
    const live = this.current(who);
    if (!live) return;
    this.counted.delete(who);
    live.conns--;
    this.d.maybeUnload(live);
  }

  /** The connection is open (socket joined its rooms). */
  attach(who: Identity): void {
    const live = this.current(who);
    if (!live) return;
    const before = live.online.get(who.participant.id) ?? 0;
    live.online.set(who.participant.id, before + 1);
    if (before > 0) return; // already here on another connection: nothing changes for the others
    this.record(live, 'join', who.participant.id, { role: who.role });
    this.d.emit('presence', who.sessionId, presenceOf(live, who.participant));
  }

  detach(who: Identity, connId: string): void {
    const live = this.current(who);
    if (!live) return;
    this.counted.delete(who);
    live.conns--;
    const n = (live.online.get(who.participant.id) ?? 1) - 1;
    live.doc.removeConnection(connId);
    if (n <= 0) {
      live.online.delete(who.participant.id);
      this.record(live, 'leave', who.participant.id, { role: who.role });
      this.d.emit('presence', who.sessionId, presenceOf(live, who.participant));
    } else live.online.set(who.participant.id, n);
    this.d.maybeUnload(live);
  }

  /** A presence event for the timeline, in the background (presence must not wait on the store). */
  private record(live: Live, type: 'join' | 'leave', participantId: string, data: Record<string, unknown>): void {
    this.d.background.track(this.d.store.addEvent(live.record.id, { at: this.d.clock.now(), type, participantId, data }));
  }

  private current(who: Identity): Live | undefined {
    const live = this.counted.get(who);
    return live && this.d.lives.isCurrent(live) ? live : undefined;
  }
}
