// AccountStore in memory (store/accounts.ts), for unit tests; behaves as the SQL ones do.
import type { SessionRecord } from './types.ts';
import {
  auditWhere,
  lowerEmail,
  type AcceptInvite,
  type AccountRecord,
  type AccountStore,
  type ApiTokenRecord,
  type AuditFilter,
  type AuditRecord,
  type InviteRecord,
  type LoginRecord,
} from './accounts.ts';

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryAccounts implements AccountStore {
  private accounts = new Map<string, AccountRecord>();
  private logins = new Map<string, LoginRecord>();
  private tokens = new Map<string, ApiTokenRecord>();
  private invites = new Map<string, InviteRecord>();
  private owners = new Map<string, string>();
  private shares = new Set<string>();
  private audit: AuditRecord[] = [];
  private settings = new Map<string, string>();

  /** `sessions`: the store's sessions, for claimUnowned. */
  constructor(private readonly sessions: () => Iterable<SessionRecord>) {}

  private mustHaveAccount(id: string): void {
    if (!this.accounts.has(id)) throw new Error(`FOREIGN KEY constraint failed: no account ${id}`);
  }

  async createAccount(a: AccountRecord): Promise<void> {
    if (this.accounts.has(a.id)) throw new Error('UNIQUE constraint failed: accounts.id');
    if ([...this.accounts.values()].some((x) => lowerEmail(x.email) === lowerEmail(a.email))) throw new Error('UNIQUE constraint failed: accounts.email_lower');
    this.accounts.set(a.id, copy(a));
  }

  async getAccount(id: string): Promise<AccountRecord | undefined> {
    const a = this.accounts.get(id);
    return a && copy(a);
  }

  async findAccountByEmail(email: string): Promise<AccountRecord | undefined> {
    const a = [...this.accounts.values()].find((x) => lowerEmail(x.email) === lowerEmail(email));
    return a && copy(a);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return [...this.accounts.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(copy);
  }

  async countAccounts(): Promise<number> {
    return this.accounts.size;
  }

  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const a = this.accounts.get(id);
    if (a) a.passwordHash = passwordHash;
    return a !== undefined;
  }

  async setDisabled(id: string, at: number | null): Promise<boolean> {
    const a = this.accounts.get(id);
    if (a) a.disabledAt = at;
    return a !== undefined;
  }

  async addLogin(l: LoginRecord): Promise<void> {
    this.mustHaveAccount(l.accountId);
    if (this.logins.has(l.hash)) throw new Error('UNIQUE constraint failed: logins.hash');
    this.logins.set(l.hash, copy(l));
  }

  async findLogin(hash: string): Promise<LoginRecord | undefined> {
    const l = this.logins.get(hash);
    return l && copy(l);
  }

  async deleteLogin(hash: string): Promise<void> {
    this.logins.delete(hash);
  }

  async deleteLoginsOf(accountId: string, except?: string): Promise<void> {
    for (const [hash, l] of this.logins) if (l.accountId === accountId && hash !== except) this.logins.delete(hash);
  }

  async addApiToken(t: ApiTokenRecord): Promise<void> {
    this.mustHaveAccount(t.accountId);
    if (this.tokens.has(t.id) || [...this.tokens.values()].some((x) => x.hash === t.hash)) throw new Error('UNIQUE constraint failed: api_tokens');
    this.tokens.set(t.id, copy(t));
  }

  async findApiToken(hash: string): Promise<ApiTokenRecord | undefined> {
    const t = [...this.tokens.values()].find((x) => x.hash === hash);
    return t && copy(t);
  }

  async listApiTokens(accountId: string): Promise<ApiTokenRecord[]> {
    return [...this.tokens.values()]
      .filter((t) => t.accountId === accountId)
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map(copy);
  }

  async touchApiToken(id: string, at: number): Promise<void> {
    const t = this.tokens.get(id);
    if (t) t.lastUsedAt = at;
  }

  async revokeApiToken(accountId: string, id: string, at: number): Promise<boolean> {
    const t = this.tokens.get(id);
    if (!t || t.accountId !== accountId || t.revokedAt !== null) return false;
    t.revokedAt = at;
    return true;
  }

  async addInvite(i: InviteRecord): Promise<void> {
    if (this.invites.has(i.id) || [...this.invites.values()].some((x) => x.hash === i.hash)) throw new Error('UNIQUE constraint failed: invites');
    this.invites.set(i.id, copy(i));
  }

  async listInvites(): Promise<InviteRecord[]> {
    return [...this.invites.values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)).map(copy);
  }

  async acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite> {
    const invite = [...this.invites.values()].find((x) => x.hash === hash);
    if (!invite || invite.usedAt !== null || invite.expiresAt <= at) return { ok: false, reason: 'invalid' };
    if (invite.createdBy === null && this.accounts.size > 0) return { ok: false, reason: 'invalid' };
    // No await from the checks to the writes: this is the memory store's transaction.
    if ([...this.accounts.values()].some((x) => lowerEmail(x.email) === lowerEmail(account.email))) return { ok: false, reason: 'email_taken' };
    this.accounts.set(account.id, copy({ ...account, role: invite.role }));
    invite.usedAt = at;
    return { ok: true, invite: copy(invite) };
  }

  async setOwner(sessionId: string, accountId: string): Promise<void> {
    this.mustHaveAccount(accountId);
    this.owners.set(sessionId, accountId);
  }

  async ownerOf(sessionId: string): Promise<string | undefined> {
    return this.owners.get(sessionId);
  }

  async claimUnowned(accountId: string): Promise<number> {
    this.mustHaveAccount(accountId);
    let n = 0;
    for (const s of this.sessions()) {
      if (s.mode !== 'interview' || s.owner !== null || this.owners.has(s.id)) continue;
      this.owners.set(s.id, accountId);
      n++;
    }
    return n;
  }

  async share(sessionId: string, accountId: string): Promise<void> {
    this.mustHaveAccount(accountId);
    this.shares.add(`${sessionId}\n${accountId}`);
  }

  async unshare(sessionId: string, accountId: string): Promise<boolean> {
    return this.shares.delete(`${sessionId}\n${accountId}`);
  }

  async sharedWith(sessionId: string): Promise<string[]> {
    return [...this.shares]
      .map((k) => k.split('\n'))
      .filter(([s]) => s === sessionId)
      .map(([, a]) => a!)
      .sort();
  }

  async accessibleSessions(accountId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const [s, a] of this.owners) if (a === accountId) ids.add(s);
    for (const k of this.shares) {
      const [s, a] = k.split('\n');
      if (a === accountId) ids.add(s!);
    }
    return ids;
  }

  async forgetSession(sessionId: string): Promise<void> {
    this.owners.delete(sessionId);
    for (const k of this.shares) if (k.startsWith(`${sessionId}\n`)) this.shares.delete(k);
  }

  async addAudit(e: Omit<AuditRecord, 'id'>): Promise<void> {
    this.audit.push({ ...copy(e), id: this.audit.length + 1 });
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditRecord[]> {
    const { limit } = auditWhere(filter);
    return this.audit
      .filter((e) => (filter.actor === undefined || e.actor === filter.actor) && (filter.action === undefined || e.action === filter.action))
      .filter((e) => (filter.sessionId === undefined || e.sessionId === filter.sessionId) && (filter.before === undefined || e.id < filter.before))
      .reverse()
      .slice(0, limit)
      .map(copy);
  }

  async getSetting(key: string): Promise<string | undefined> {
    return this.settings.get(key);
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.settings.set(key, value);
  }
}
