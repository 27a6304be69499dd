// Events counted per key in a sliding window: past the limit the key waits. Failed sign-ins per
// account and per address (accounts/service.ts), chat messages per participant (sessions/chat.ts),
// practice attempts started per address (http/address-limit.ts).
// In memory, per node, bounded in size like http/address-limit.ts: an attacker spread over nodes
// gets at most (nodes x limit) tries per window, still far too few to guess a password.

/** Keys remembered at most; the least recently used are forgotten first. */
const MAX_KEYS = 50_000;

export class WindowLimits {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.events.get(key) ?? []).filter((t) => t > since);
    this.events.delete(key);
    if (list.length > 0) this.events.set(key, list);
    return list;
  }

  /** Seconds to wait before the next event is allowed, or 0 when one is allowed now. */
  waitS(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limit) return 0;
    return Math.max(1, Math.ceil((list[list.length - this.limit]! + this.windowMs - this.now()) / 1000));
  }

  /** Counts one event for `key` now. */
  record(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.events.set(key, list);
    while (this.events.size > MAX_KEYS) this.events.delete(this.events.keys().next().value!);
  }

  /** Takes back the latest event counted for `key` (it was refused for another reason). */
  unrecord(key: string): void {
    this.events.get(key)?.pop();
  }

  /** Forgets `key` (a successful sign-in forgets the account's failures, not the address's). */
  clear(key: string): void {
    this.events.delete(key);
  }

  /** Forgets every key that starts with `prefix` (a session that left memory). */
  clearPrefix(prefix: string): void {
    for (const key of this.events.keys()) if (key.startsWith(prefix)) this.events.delete(key);
  }
}
