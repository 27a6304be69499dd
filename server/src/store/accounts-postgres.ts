// AccountStore on PostgreSQL (store/accounts.ts): the shared statements (accounts-sql.ts) numbered;
// the two multi-statement changes run in a transaction of their own.
import type pg from 'pg';
import { SETUP_ONLY_FIRST, lowerEmail, toInvite, type AcceptInvite, type AccountRecord, type InviteRow } from './accounts.ts';
import { SqlAccounts, insertAccount } from './accounts-sql.ts';
import { numbered, transaction } from './postgres-pool.ts';

/** Any constant shared by every node: the advisory lock that serializes invite acceptances. */
const INVITE_LOCK = 7_351_902_215;

export class PostgresAccounts extends SqlAccounts {
  constructor(private readonly pool: pg.Pool) {
    super();
  }

  protected async all<R>(sql: string, ...args: unknown[]): Promise<R[]> {
    return (await this.pool.query(numbered(sql), args)).rows as R[];
  }

  protected async one<R>(sql: string, ...args: unknown[]): Promise<R | undefined> {
    return (await this.all<R>(sql, ...args))[0];
  }

  protected async run(sql: string, ...args: unknown[]): Promise<number> {
    return (await this.pool.query(numbered(sql), args)).rowCount ?? 0;
  }

  private transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  private async addAccount(db: Pick<pg.PoolClient, 'query'>, a: AccountRecord): Promise<void> {
    const [sql, values] = insertAccount(a);
    await db.query(numbered(sql), values);
  }

  async createAccount(a: AccountRecord): Promise<void> {
    await this.addAccount(this.pool, a);
  }

  async acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite> {
    return this.transaction(async (c): Promise<AcceptInvite> => {
      // One acceptance at a time on every node (they are rare): two setup links used at the same
      // moment cannot both see "no account yet", nor two invites both find an email free.
      await c.query('SELECT pg_advisory_xact_lock($1)', [INVITE_LOCK]);
      const [row] = (
        await c.query<InviteRow>(`UPDATE invites SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 AND ${SETUP_ONLY_FIRST} RETURNING *`, [at, hash])
      ).rows;
      if (!row) return { ok: false, reason: 'invalid' };
      const taken = (await c.query('SELECT 1 FROM accounts WHERE email_lower = $1', [lowerEmail(account.email)])).rowCount;
      if (taken) {
        await c.query('UPDATE invites SET used_at = NULL WHERE hash = $1', [hash]);
        return { ok: false, reason: 'email_taken' };
      }
      const invite = toInvite(row);
      await this.addAccount(c, { ...account, role: invite.role });
      return { ok: true, invite };
    });
  }

  async forgetSession(sessionId: string): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('DELETE FROM interview_shares WHERE session_id = $1', [sessionId]);
      await c.query('DELETE FROM interview_owners WHERE session_id = $1', [sessionId]);
    });
  }
}
