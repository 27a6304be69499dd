// Leases in Redis: a key holding this node's id with an expiry, renewed while held. Whoever holds
// `lease:<session>` arms that session's timer; a node that dies stops renewing, the key expires,
// and another node's SET NX takes it over.
import type { Redis } from 'ioredis';

// Renew or release only a lease that is still ours (it may have expired and been taken meanwhile).
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class Leases {
  /** Lease -> what to do when it turns out lost, and when it was last known to be ours. */
  private held = new Map<string, { onLost: () => void; at: number }>();
  private timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly node: string,
    readonly ttlMs: number,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    // Renewed three times per lifetime: one slow round trip does not lose a lease.
    this.timer = setInterval(() => void this.renewAll(), Math.floor(ttlMs / 3));
    this.timer.unref();
  }

  holds(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes the lease when it is free (or already ours). `onLost` runs if a renewal finds it gone. */
  async acquire(key: string, onLost: () => void = () => {}): Promise<boolean> {
    if (this.held.has(key)) return true;
    const got = await this.redis.set(this.prefix + key, this.node, 'PX', this.ttlMs, 'NX');
    if (got !== 'OK') return false;
    this.held.set(key, { onLost, at: Date.now() });
    return true;
  }

  async release(key: string): Promise<void> {
    if (!this.held.delete(key)) return;
    await this.redis.eval(RELEASE, 1, this.prefix + key, this.node);
  }

  private async renewAll(): Promise<void> {
    for (const [key, lease] of [...this.held]) {
      try {
        const kept = await this.redis.eval(RENEW, 1, this.prefix + key, this.node, String(this.ttlMs));
        if (kept === 1) {
          lease.at = Date.now();
          continue;
        }
      } catch (err) {
        // Redis unreachable: keep trying until the lease would have expired, then let it go.
        this.log(`renewing the lease ${key} failed`, err);
        if (Date.now() - lease.at < this.ttlMs) continue;
      }
      if (this.held.get(key) === lease) {
        this.held.delete(key);
        lease.onLost();
      }
    }
  }

  /** Stops renewing and gives every lease back, so other nodes take over at once. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const keys = [...this.held.keys()];
    this.held.clear();
    await Promise.all(keys.map((k) => this.redis.eval(RELEASE, 1, this.prefix + k, this.node).catch(() => {})));
  }
}
