// AccountStore on SQLite (store/accounts.ts). Each call first waits for an import in progress
// (see SqliteStore.importing): a statement issued meanwhile would join the import's transaction.
import type Database from 'better-sqlite3';
import { SETUP_ONLY_FIRST, lowerEmail, toInvite, type AcceptInvite, type AccountRecord, type InviteRow } from './accounts.ts';
import { SqlAccounts, insertAccount } from './accounts-sql.ts';

export class SqliteAccounts extends SqlAccounts {
  constructor(
    private readonly db: Database.Database,
    private readonly idle: () => Promise<void>,
  ) {
    super();
  }

  protected async all<R>(sql: string, ...args: unknown[]): Promise<R[]> {
    await this.idle();
    return this.db.prepare(sql).all(...args) as R[];
  }

  protected async one<R>(sql: string, ...args: unknown[]): Promise<R | undefined> {
    await this.idle();
    return this.db.prepare(sql).get(...args) as R | undefined;
  }

  protected async run(sql: string, ...args: unknown[]): Promise<number> {
    await this.idle();
    return this.db.prepare(sql).run(...args).changes;
  }

  private addAccount(a: AccountRecord): void {
    const [sql, values] = insertAccount(a);
    this.db.prepare(sql).run(...values);
  }

  async createAccount(a: AccountRecord): Promise<void> {
    await this.idle();
    this.addAccount(a);
  }

  async acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite> {
    await this.idle();
    return this.db.transaction((): AcceptInvite => {
      const row = this.db.prepare(`UPDATE invites SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? AND ${SETUP_ONLY_FIRST} RETURNING *`).get(at, hash, at) as
        InviteRow | undefined;
      if (!row) return { ok: false, reason: 'invalid' };
      const taken = this.db.prepare('SELECT 1 FROM accounts WHERE email_lower = ?').get(lowerEmail(account.email));
      if (taken) {
        this.db.prepare('UPDATE invites SET used_at = NULL WHERE hash = ?').run(hash);
        return { ok: false, reason: 'email_taken' };
      }
      const invite = toInvite(row);
      this.addAccount({ ...account, role: invite.role });
      return { ok: true, invite };
    })();
  }

  async forgetSession(sessionId: string): Promise<void> {
    await this.idle();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM interview_shares WHERE session_id = ?').run(sessionId);
      this.db.prepare('DELETE FROM interview_owners WHERE session_id = ?').run(sessionId);
    })();
  }
}
