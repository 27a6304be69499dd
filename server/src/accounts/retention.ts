// Retention: an admin setting "delete ended interviews and practice attempts after N days"
// (default off), applied by a periodic sweep on every node (a session another node deleted first
// is simply gone). Each deletion is in the audit log, by the server.
import type { LogFn } from '../log.ts';
import type { SessionService } from '../sessions/service.ts';
import type { Clock } from '../sessions/timer.ts';
import type { Store } from '../store/types.ts';
import type { AccountService, Principal } from './service.ts';
import { actorOf } from './service.ts';

const KEY = 'retention_days';
const DAY = 86_400_000;
export const MAX_RETENTION_DAYS = 3_650;

export class Retention {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly d: { store: Store; clock: Clock; sessions: SessionService; accounts: AccountService; log: LogFn }) {}

  /** Days an ended session is kept; null: kept until someone deletes it. */
  async days(): Promise<number | null> {
    const v = Number(await this.d.store.accounts.getSetting(KEY));
    return Number.isInteger(v) && v >= 1 ? v : null;
  }

  async setDays(p: Principal, days: number | null, address: string): Promise<void> {
    this.d.accounts.must(p, 'settings:write');
    await this.d.store.accounts.setSetting(KEY, days === null ? 'off' : String(days));
    await this.d.accounts.audit(actorOf(p), 'settings.retention', null, { days }, address);
  }

  /** Deletes the sessions that ended more than the set days before `now`; how many. */
  async sweep(now = this.d.clock.now()): Promise<number> {
    const days = await this.days();
    if (days === null) return 0;
    const cutoff = now - days * DAY;
    const old = (await this.d.store.listSessions({ status: 'ended' })).filter((s) => s.endedAt !== null && s.endedAt < cutoff);
    let deleted = 0;
    for (const s of old) {
      // A final grading still being stored would fail half-way: the next sweep takes it.
      if (this.d.sessions.runs.isBusy(s.id)) continue;
      if (!(await this.d.store.deleteSession(s.id))) continue;
      await this.d.store.accounts.forgetSession(s.id);
      this.d.sessions.forget(s.id);
      await this.d.accounts.audit(null, 'session.retention-delete', s.id, { mode: s.mode, endedAt: s.endedAt, days }, null);
      deleted++;
    }
    return deleted;
  }

  start(everyMs = 3_600_000): void {
    const run = () => void this.sweep().catch((err: unknown) => this.d.log('retention sweep failed', err));
    run();
    this.sweeper = setInterval(run, everyMs);
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
