// The AccountStore statements both SQL stores run alike (store/accounts.ts), written once with `?`
// placeholders over three primitives each store provides (the PostgreSQL one numbers them). What
// needs a transaction (creating an account from an invite, forgetting a session) stays in each store.
import {
  auditWhere,
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

/** Both stores insert accounts inside their own transactions too, so the statement is shared, not the call. */
export function insertAccount(a: AccountRecord): [sql: string, values: unknown[]] {
  return [
    'INSERT INTO accounts (id, name, email, email_lower, password_hash, role, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [a.id, a.name, a.email, lowerEmail(a.email), a.passwordHash, a.role, a.createdAt, a.disabledAt],
  ];
}

export abstract class SqlAccounts implements AccountStore {
  protected abstract all<R>(sql: string, ...args: unknown[]): Promise<R[]>;
  protected abstract one<R>(sql: string, ...args: unknown[]): Promise<R | undefined>;
  /** Runs a change; resolves with the number of rows it changed. */
  protected abstract run(sql: string, ...args: unknown[]): Promise<number>;

  abstract createAccount(a: AccountRecord): Promise<void>;
  abstract acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite>;
  abstract forgetSession(sessionId: string): Promise<void>;

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
    // PostgreSQL's COUNT is a BIGINT, which pg reads as a string.
    return Number((await this.one<{ n: number | string }>('SELECT COUNT(*) AS n FROM accounts'))!.n);
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
      t.id,
      t.hash,
      t.accountId,
      t.name,
      t.createdAt,
      t.lastUsedAt,
      t.revokedAt,
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
      i.id,
      i.hash,
      i.role,
      i.createdBy,
      i.createdAt,
      i.expiresAt,
      i.usedAt,
    );
  }

  async listInvites(): Promise<InviteRecord[]> {
    return (await this.all<InviteRow>('SELECT * FROM invites ORDER BY created_at DESC, id')).map(toInvite);
  }

  async setOwner(sessionId: string, accountId: string): Promise<void> {
    await this.run(
      'INSERT INTO interview_owners (session_id, account_id) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET account_id = excluded.account_id',
      sessionId,
      accountId,
    );
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

  async addAudit(e: Omit<AuditRecord, 'id'>): Promise<void> {
    await this.run(
      'INSERT INTO audit_log (at, actor, action, session_id, detail, address) VALUES (?, ?, ?, ?, ?, ?)',
      e.at,
      e.actor,
      e.action,
      e.sessionId,
      JSON.stringify(e.detail),
      e.address,
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
