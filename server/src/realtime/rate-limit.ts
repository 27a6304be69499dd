// A token bucket per connection: a client may send `ratePerSecond` events on average and
// `burst` at once. Typing, cursor moves and a reconnection's catch-up fit well inside; a client
// flooding the server gets 'busy' replies instead of filling the database.

export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const time = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((time - this.last) * this.ratePerSecond) / 1000);
    this.last = time;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
