// AccountStore on PostgreSQL (store/accounts.ts): the SQLite statements with $n placeholders;
// the two multi-statement changes run in a transaction of their own.
import type pg from 'pg';
import {
  auditWhere,
  SETUP_ONLY_FIRST,
  lowerEmail,
  toAccount,
  toApiToken,
  toAudit,
  toInvite,
  toLogin,
  type AcceptInvite,
  type AccountRecord,
  type AccountRow,
  type AccountStore,
  type ApiTokenRecord,
  type ApiTokenRow,
  type AuditFilter,
  type AuditRecord,
  type AuditRow,
  type InviteRecord,
  type InviteRow,
  type LoginRecord,
  type LoginRow,
} from './accounts.ts';
import { numbered, transaction } from './postgres-pool.ts';

/** Any constant shared by every node: the advisory lock that serializes invite acceptances. */
const INVITE_LOCK = 7_351_902_215;

export class PostgresAccounts implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  private async all<R extends pg.QueryResultRow>(sql: string, ...args: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(numbered(sql), args)).rows;
  }

  private async one<R extends pg.QueryResultRow>(sql: string, ...args: unknown[]): Promise<R | undefined> {
    return (await this.all<R>(sql, ...args))[0];
  }

  private async run(sql: string, ...args: unknown[]): Promise<number> {
    return (await this.pool.query(numbered(sql), args)).rowCount ?? 0;
  }

  private transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return transaction(this.pool, fn);
  }

  private async insertAccount(db: Pick<pg.PoolClient, 'query'>, a: AccountRecord): Promise<void> {
    await db.query(
      numbered('INSERT INTO accounts (id, name, email, email_lower, password_hash, role, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      [a.id, a.name, a.email, lowerEmail(a.email), a.passwordHash, a.role, a.createdAt, a.disabledAt],
    );
  }

  async createAccount(a: AccountRecord): Promise<void> {
    await this.insertAccount(this.pool, a);
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE id = ?', id);
    return row && toAccount(row);
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const row = await this.one<AccountRow>('SELECT * FROM accounts WHERE email_lower = ?', lowerEmail(email));
    return row && toAccount(row);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (await this.all<AccountRow>('SELECT * FROM accounts ORDER BY created_at, id')).map(toAccount);
  }

  async countAccounts(): Promise<number> {
    return Number((await this.one<{ n: string }>('SELECT COUNT(*) AS n FROM accounts'))!.n);
  }

  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    return (await this.run('UPDATE accounts SET password_hash = ? WHERE id = ?', passwordHash, id)) > 0;
  }

  async setDisabled(id: string, at: number | null): Promise<boolean> {
    return (await this.run('UPDATE accounts SET disabled_at = ? WHERE id = ?', at, id)) > 0;
  }

  async addLogin(l: LoginRecord): Promise<void> {
    await this.run('INSERT INTO logins (hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)', l.hash, l.accountId, l.createdAt, l.expiresAt);
  }

  async findLogin(hash: string): Promise<LoginRecord | undefined> {
    const row = await this.one<LoginRow>('SELECT * FROM logins WHERE hash = ?', hash);
    return row && toLogin(row);
  }

  async deleteLogin(hash: string): Promise<void> {
    await this.run('DELETE FROM logins WHERE hash = ?', hash);
  }

  async deleteLoginsOf(accountId: string, except?: string): Promise<void> {
    await this.run('DELETE FROM logins WHERE account_id = ? AND hash <> ?', accountId, except ?? '');
  }

  async addApiToken(t: ApiTokenRecord): Promise<void> {
    await this.run(
      'INSERT INTO api_tokens (id, hash, account_id, name, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      t.id, t.hash, t.accountId, t.name, t.createdAt, t.lastUsedAt, t.revokedAt,
    );
  }

  async findApiToken(hash: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.one<ApiTokenRow>('SELECT * FROM api_tokens WHERE hash = ?', hash);
    return row && toApiToken(row);
  }

  async listApiTokens(accountId: string): Promise<ApiTokenRecord[]> {
    return (await this.all<ApiTokenRow>('SELECT * FROM api_tokens WHERE account_id = ? ORDER BY created_at, id', accountId)).map(toApiToken);
  }

  async touchApiToken(id: string, at: number): Promise<void> {
    await this.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', at, id);
  }

  async revokeApiToken(accountId: string, id: string, at: number): Promise<boolean> {
    return (await this.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL', at, id, accountId)) > 0;
  }

  async addInvite(i: InviteRecord): Promise<void> {
    await this.run(
      'INSERT INTO invites (id, hash, role, created_by, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      i.id, i.hash, i.role, i.createdBy, i.createdAt, i.expiresAt, i.usedAt,
    );
  }

  async listInvites(): Promise<InviteRecord[]> {
    return (await this.all<InviteRow>('SELECT * FROM invites ORDER BY created_at DESC, id')).map(toInvite);
  }

  async acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite> {
    return this.transaction(async (c): Promise<AcceptInvite> => {
      // One acceptance at a time on every node (they are rare): two setup links used at the same
      // moment cannot both see "no account yet", nor two invites both find an email free.
      await c.query('SELECT pg_advisory_xact_lock($1)', [INVITE_LOCK]);
      const [row] = (await c.query<InviteRow>(`UPDATE invites SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1 AND ${SETUP_ONLY_FIRST} RETURNING *`, [at, hash])).rows;
      if (!row) return { ok: false, reason: 'invalid' };
      const taken = (await c.query('SELECT 1 FROM accounts WHERE email_lower = $1', [lowerEmail(account.email)])).rowCount;
      if (taken) {
        await c.query('UPDATE invites SET used_at = NULL WHERE hash = $1', [hash]);
        return { ok: false, reason: 'email_taken' };
      }
      const invite = toInvite(row);
      await this.insertAccount(c, { ...account, role: invite.role });
      return { ok: true, invite };
    });
  }

  async setOwner(sessionId: string, accountId: string): Promise<void> {
    await this.run('INSERT INTO interview_owners (session_id, account_id) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET account_id = excluded.account_id', sessionId, accountId);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    return (await this.one<{ account_id: string }>('SELECT account_id FROM interview_owners WHERE session_id = ?', sessionId))?.account_id;
  }

  async claimUnowned(accountId: string): Promise<number> {
    return this.run(
      "INSERT INTO interview_owners (session_id, account_id) SELECT id, ? FROM sessions WHERE mode = 'interview' AND owner IS NULL AND id NOT IN (SELECT session_id FROM interview_owners)",
      accountId,
    );
  }

  async share(sessionId: string, accountId: string): Promise<void> {
    await this.run('INSERT INTO interview_shares (session_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING', sessionId, accountId);
  }

  async unshare(sessionId: string, accountId: string): Promise<boolean> {
    return (await this.run('DELETE FROM interview_shares WHERE session_id = ? AND account_id = ?', sessionId, accountId)) > 0;
  }

  async sharedWith(sessionId: string): Promise<string[]> {
    return (await this.all<{ account_id: string }>('SELECT account_id FROM interview_shares WHERE session_id = ? ORDER BY account_id', sessionId)).map((r) => r.account_id);
  }

  async accessibleSessions(accountId: string): Promise<Set<string>> {
    const rows = await this.all<{ session_id: string }>(
      'SELECT session_id FROM interview_owners WHERE account_id = ? UNION SELECT session_id FROM interview_shares WHERE account_id = ?',
      accountId,
      accountId,
    );
    return new Set(rows.map((r) => r.session_id));
  }

  async forgetSession(sessionId: string): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('DELETE FROM interview_shares WHERE session_id = $1', [sessionId]);
      await c.query('DELETE FROM interview_owners WHERE session_id = $1', [sessionId]);
    });
  }

  async addAudit(e: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.run(
      'INSERT INTO audit_log (at, actor, action, session_id, detail, address) VALUES (?, ?, ?, ?, ?, ?)',
      e.at, e.actor, e.action, e.sessionId, JSON.stringify(e.detail), e.address,
    );
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const { where, args, limit } = auditWhere(filter);
    return (await this.all<AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ${limit}`, ...args)).map(toAudit);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return (await this.one<{ value: string }>('SELECT value FROM settings WHERE key = ?', key))?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
  }
}
