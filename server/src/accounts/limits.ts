// Failed sign-ins counted per key (an email, an address) in a sliding window: past the limit the
// key waits. In memory, per node, bounded in size like http/address-limit.ts: an attacker spread
// over nodes gets at most (nodes x limit) tries per window, still far too few to guess a password.

/** Keys remembered at most; the least recently used are forgotten first. */
const MAX_KEYS = 50_000;

export class AttemptLimits {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    this.failures.delete(key);
    if (list.length > 0) this.failures.set(key, list);
    return list;
  }

  /** Seconds to wait before trying again, or 0 when a try is allowed now. */
  waitS(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit]! + this.windowMs - this.now()) / 1000));
  }

  fail(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.set(key, list);
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** A successful sign-in forgets the account's failures (not the address's). */
  clear(key: string): void {
    this.failures.delete(key);
  }
}
