// Practice needs no account, so a client could mint a fresh identity (a new cookie) per request
// and escape the per-identity bounds. These bounds hold per client address instead (the address
// express reports: TRUST_PROXY decides whether it comes from X-Forwarded-For): a client without a
// cookie gets the same identity again for an hour, and every address may start at most
// `startsPerHour` attempts an hour, whatever its cookies. Kept in memory: per node, forgotten on
// restart, bounded in size.

import { WindowLimits } from '../sliding-window.ts';

const HOUR = 3_600_000;
/** Addresses remembered at most; the oldest are forgotten first (an attacker cannot grow it). */
const MAX_ADDRESSES = 50_000;

interface Entry {
  /** The identity token handed to this address's cookie-less requests, and until when. */
  token?: string;
  tokenUntil?: number;
}

export class AddressLimits {
  private readonly entries = new Map<string, Entry>();
  /** Attempts started per address in the last hour. */
  private readonly starts: WindowLimits;

  constructor(
    startsPerHour: number,
    private readonly now: () => number = Date.now,
  ) {
    this.starts = new WindowLimits(startsPerHour, HOUR, now);
  }

  private entry(address: string): Entry {
    let entry = this.entries.get(address);
    if (entry)
      this.entries.delete(address); // re-inserted last: most recently used
    else entry = {};
    this.entries.set(address, entry);
    while (this.entries.size > MAX_ADDRESSES) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  /** The identity token for a cookie-less request from `address`: the same one for an hour. */
  tokenFor(address: string, mint: () => string): string {
    const entry = this.entry(address);
    const now = this.now();
    if (!entry.token || (entry.tokenUntil ?? 0) <= now) {
      entry.token = mint();
      entry.tokenUntil = now + HOUR;
    }
    return entry.token;
  }

  /** Takes one start for `address`, or returns the seconds to wait when its hour is used up. */
  takeStart(address: string): { ok: true } | { ok: false; retryInS: number } {
    const retryInS = this.starts.waitS(address);
    if (retryInS > 0) return { ok: false, retryInS };
    this.starts.record(address);
    return { ok: true };
  }

  /** Gives back the last start taken for `address` (the attempt was refused for another reason). */
  refundStart(address: string): void {
    this.starts.unrecord(address);
  }
}
