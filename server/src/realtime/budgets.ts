// Bounds that one link (or one address) cannot escape by opening more connections: how many
// connections it may hold, and how much awareness relaying and sync step 2 encoding the server
// does for one participant and for one session. The per-connection RateLimiter only bounds a
// single socket; these are keyed by who is behind it.
import type { ConnectErrorData } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { Identity } from '../sessions/service.ts';

const LOG_LINES_PER_SECOND = 5;
const LOG_LINES_BURST = 20;

/** A token bucket that may go into debt: work whose cost is known only afterwards is charged then. */
export class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    return this.tokens;
  }

  /** Whether at least `cost` is available (nothing is taken). */
  has(cost: number): boolean {
    return this.refill() >= cost;
  }

  charge(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  /** A full bucket is the same as a new one, so it can be dropped. */
  isFull(): boolean {
    return this.refill() >= this.burst;
  }
}

/** Buckets by key, created on first use; full ones are dropped now and then so the map stays small. */
class Buckets {
  private map = new Map<string, Bucket>();
  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}
  get(key: string): Bucket {
    let b = this.map.get(key);
    if (!b) this.map.set(key, (b = new Bucket(this.perSecond, this.burst)));
    return b;
  }
  prune(): void {
    for (const [k, b] of this.map) if (b.isFull()) this.map.delete(k);
  }
  has(key: string): boolean {
    return this.map.has(key);
  }
}

export class Budgets {
  private readonly awarenessBy = new Buckets(LIMITS.awarenessPerSecond, LIMITS.awarenessBurst);
  private readonly awarenessIn = new Buckets(LIMITS.sessionAwarenessPerSecond, LIMITS.sessionAwarenessBurst);
  private readonly relayIn = new Buckets(LIMITS.sessionAwarenessRelayBytesPerSecond, LIMITS.sessionAwarenessRelayBytesBurst);
  private readonly syncBy = new Buckets(LIMITS.syncBytesPerSecond, LIMITS.syncBytesBurst);
  private readonly syncIn = new Buckets(LIMITS.sessionSyncBytesPerSecond, LIMITS.sessionSyncBytesBurst);
  private readonly refusalsBy = new Buckets(LIMITS.refusalsPerSecond, LIMITS.refusalsBeforeDisconnect);
  /** Connection log lines per session: a connection storm must not become a log storm. */
  private readonly logLinesIn = new Buckets(LOG_LINES_PER_SECOND, LOG_LINES_BURST);
  private readonly unlogged = new Map<string, number>();
  /** Participant ids by handshake (link hash and name), so a paused one is refused before any lookup. */
  private readonly handshakes = new Map<string, string>();
  private readonly pruner: NodeJS.Timeout;

  constructor() {
    this.pruner = setInterval(() => {
      for (const b of [this.awarenessBy, this.awarenessIn, this.relayIn, this.syncBy, this.syncIn, this.refusalsBy, this.logLinesIn]) b.prune();
      for (const [key, id] of this.handshakes) if (!this.refusalsBy.has(id)) this.handshakes.delete(key);
    }, 30_000);
    this.pruner.unref();
  }

  /**
   * One awareness update of `bytes` relayed to `recipients` connections, if the participant and
   * the session have room for it (a count per participant and per session, and relayed bytes per
   * session).
   */
  takeAwareness(who: Identity, bytes: number, recipients: number): boolean {
    const mine = this.awarenessBy.get(who.participant.id);
    const session = this.awarenessIn.get(who.sessionId);
    const relay = this.relayIn.get(who.sessionId);
    const relayed = bytes * recipients;
    if (!mine.has(1) || !session.has(1) || !relay.has(relayed)) return false;
    mine.charge(1);
    session.charge(1);
    relay.charge(relayed);
    return true;
  }

  /**
   * Whether a sync step 1 may be answered now. The answer's size is known only once it is
   * encoded, so it is charged afterwards (syncSent) and a large answer leaves a debt.
   */
  maySync(who: Identity): boolean {
    return this.syncBy.get(who.participant.id).has(1) && this.syncIn.get(who.sessionId).has(1);
  }

  syncSent(who: Identity, bytes: number): void {
    this.syncBy.get(who.participant.id).charge(bytes);
    this.syncIn.get(who.sessionId).charge(bytes);
  }

  /**
   * Counts a flood refusal (busy, rate_limited, too_large, bad_request) against the participant;
   * false once they are beyond their allowance, whichever of their connections the refusals hit.
   */
  refused(who: Identity): boolean {
    const b = this.refusalsBy.get(who.participant.id);
    const before = b.has(0);
    b.charge(1);
    // Going over costs a pause as well, so that reconnecting at once does not start a new flood.
    if (before && !b.has(0)) b.charge(LIMITS.refusalsPerSecond * LIMITS.floodPauseSeconds);
    return b.has(0);
  }

  /**
   * Whether a log line about a connection of this session may be written now, and how many were
   * left out since the last one written (to say so in it).
   */
  logLine(sessionId: string): { write: boolean; skipped: number } {
    const bucket = this.logLinesIn.get(sessionId);
    if (!bucket.has(1)) {
      this.unlogged.set(sessionId, (this.unlogged.get(sessionId) ?? 0) + 1);
      return { write: false, skipped: 0 };
    }
    bucket.charge(1);
    const skipped = this.unlogged.get(sessionId) ?? 0;
    this.unlogged.delete(sessionId);
    return { write: true, skipped };
  }

  /** Remembers who a handshake with this link and name turned out to be. */
  rememberHandshake(link: string, name: string, who: Identity): void {
    this.handshakes.set(`${link}\n${name}`, who.participant.id);
  }

  /**
   * Whether a handshake with this link and name comes from a participant paused for flooding, as
   * far as known without authenticating: a flood's reconnections then cost no lookup at all.
   */
  pausedHandshake(link: string, name: string): boolean {
    const id = this.handshakes.get(`${link}\n${name}`);
    return id !== undefined && this.refusalsBy.has(id) && !this.refusalsBy.get(id).has(0);
  }

  /** Whether the participant is paused for flooding (their new connections are refused). */
  paused(who: Identity): boolean {
    return !this.refusalsBy.get(who.participant.id).has(0);
  }

  close(): void {
    clearInterval(this.pruner);
  }
}

/** Open connections (and handshakes in progress) per link and per client address. */
export class ConnectionCounts {
  private byLink = new Map<string, number>();
  private byAddress = new Map<string, number>();

  /** `link` is the token's hash ('' for a malformed token, refused later anyway). */
  full(link: string, address: string): ConnectErrorData | null {
    if ((this.byAddress.get(address) ?? 0) >= LIMITS.connectionsPerAddress) {
      return { code: 'rate_limited', message: `Too many connections from this address (at most ${LIMITS.connectionsPerAddress}); close some tabs and retry.` };
    }
    if (link !== '' && (this.byLink.get(link) ?? 0) >= LIMITS.connectionsPerLink) {
      return { code: 'rate_limited', message: `Too many connections on this link (at most ${LIMITS.connectionsPerLink}); close some tabs and retry.` };
    }
    return null;
  }

  add(link: string, address: string): void {
    if (link !== '') bump(this.byLink, link, 1);
    bump(this.byAddress, address, 1);
  }

  remove(link: string, address: string): void {
    if (link !== '') bump(this.byLink, link, -1);
    bump(this.byAddress, address, -1);
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
