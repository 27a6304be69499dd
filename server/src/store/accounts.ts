// Mentor accounts, their sign-in sessions and API tokens, invites, who owns or shares which
// interview, and the audit log: one interface (Store.accounts) with a SQLite, a PostgreSQL and an
// in-memory implementation (accounts-*.ts), held to one contract (tests/support/store-contract-accounts.ts).
// Every secret (login session id, API token, invite token) is stored as its sha256 only.
import { AUDIT_PAGE } from '../../../common/accounts.ts';

export type AccountRole = 'admin' | 'mentor';

export interface AccountRecord {
  id: string;
  name: string;
  /** As typed; unique ignoring case (compared lower-cased). */
  email: string;
  /** argon2id PHC string (server/src/accounts/passwords.ts). */
  passwordHash: string;
  role: AccountRole;
  createdAt: number;
  /** Set when an admin disabled the account: its logins, tokens and sockets are refused. */
  disabledAt: number | null;
}

/** A server-side sign-in session; the cookie holds the id, the store its sha256. */
export interface LoginRecord {
  hash: string;
  accountId: string;
  createdAt: number;
  expiresAt: number;
}

export interface ApiTokenRecord {
  id: string;
  hash: string;
  accountId: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface InviteRecord {
  id: string;
  hash: string;
  role: AccountRole;
  /** The account that created it; null for the first-start setup link. */
  createdBy: string | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

/** Who did something: an account id, 'key' (MENTOR_KEY) or null (the server itself, e.g. retention). */
export type Actor = string | 'key' | null;

export interface AuditRecord {
  id: number;
  at: number;
  actor: Actor;
  action: string;
  sessionId: string | null;
  detail: Record<string, unknown>;
  address: string | null;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  sessionId?: string;
  /** Entries with id < before (paging, newest first). */
  before?: number;
  limit?: number;
}

export type AcceptInvite = { ok: true; invite: InviteRecord } | { ok: false; reason: 'invalid' | 'email_taken' };

export interface AccountStore {
  /** Rejects a second account with the same email, ignoring case. */
  createAccount(a: AccountRecord): Promise<void>;
  getAccount(id: string): Promise<AccountRecord | undefined>;
  findAccountByEmail(email: string): Promise<AccountRecord | undefined>;
  /** Oldest first. */
  listAccounts(): Promise<AccountRecord[]>;
  countAccounts(): Promise<number>;
  setPassword(id: string, passwordHash: string): Promise<boolean>;
  setDisabled(id: string, at: number | null): Promise<boolean>;

  addLogin(l: LoginRecord): Promise<void>;
  findLogin(hash: string): Promise<LoginRecord | undefined>;
  deleteLogin(hash: string): Promise<void>;
  /** Every sign-in of the account (disabled, or its password changed), but `except`. */
  deleteLoginsOf(accountId: string, except?: string): Promise<void>;

  addApiToken(t: ApiTokenRecord): Promise<void>;
  findApiToken(hash: string): Promise<ApiTokenRecord | undefined>;
  /** Oldest first. */
  listApiTokens(accountId: string): Promise<ApiTokenRecord[]>;
  touchApiToken(id: string, at: number): Promise<void>;
  /** Revokes the account's token; false when it has no such token (or it was revoked before). */
  revokeApiToken(accountId: string, id: string, at: number): Promise<boolean>;

  addInvite(i: InviteRecord): Promise<void>;
  /** Newest first. */
  listInvites(): Promise<InviteRecord[]>;
  /**
   * Atomically: marks the unused, unexpired invite with this hash used and creates the account. A
   * taken email leaves the invite unused; an unknown, used or expired one creates nothing, and so
   * does a setup link (createdBy null) once any account exists.
   */
  acceptInvite(hash: string, at: number, account: AccountRecord): Promise<AcceptInvite>;

  setOwner(sessionId: string, accountId: string): Promise<void>;
  ownerOf(sessionId: string): Promise<string | undefined>;
  /** Gives every interview nobody owns yet to the account (existing interviews, the first admin). */
  claimUnowned(accountId: string): Promise<number>;
  share(sessionId: string, accountId: string): Promise<void>;
  unshare(sessionId: string, accountId: string): Promise<boolean>;
  sharedWith(sessionId: string): Promise<string[]>;
  /** Ids of the interviews the account owns or that are shared with it. */
  accessibleSessions(accountId: string): Promise<Set<string>>;
  /** Drops a deleted session's owner and shares (its audit entries stay). */
  forgetSession(sessionId: string): Promise<void>;

  addAudit(e: Omit<AuditRecord, 'id'>): Promise<void>;
  /** Newest first. */
  listAudit(filter?: AuditFilter): Promise<AuditRecord[]>;

  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
}

export { AUDIT_PAGE };

/** A setup link (an invite nobody created) works only while there is no account: it makes the first admin. */
export const SETUP_ONLY_FIRST = '(created_by IS NOT NULL OR NOT EXISTS (SELECT 1 FROM accounts))';

export const lowerEmail = (email: string): string => email.trim().toLowerCase();

export interface AccountRow {
  id: string;
  name: string;
  email: string;
  password_hash: string;
  role: AccountRole;
  created_at: number | string;
  disabled_at: number | string | null;
}

const num = (v: number | string): number => Number(v);
const numOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toAccount(r: AccountRow): AccountRecord {
  return { id: r.id, name: r.name, email: r.email, passwordHash: r.password_hash, role: r.role, createdAt: num(r.created_at), disabledAt: numOrNull(r.disabled_at) };
}

export interface LoginRow {
  hash: string;
  account_id: string;
  created_at: number | string;
  expires_at: number | string;
}

export function toLogin(r: LoginRow): LoginRecord {
  return { hash: r.hash, accountId: r.account_id, createdAt: num(r.created_at), expiresAt: num(r.expires_at) };
}

export interface ApiTokenRow {
  id: string;
  hash: string;
  account_id: string;
  name: string;
  created_at: number | string;
  last_used_at: number | string | null;
  revoked_at: number | string | null;
}

export function toApiToken(r: ApiTokenRow): ApiTokenRecord {
  return { id: r.id, hash: r.hash, accountId: r.account_id, name: r.name, createdAt: num(r.created_at), lastUsedAt: numOrNull(r.last_used_at), revokedAt: numOrNull(r.revoked_at) };
}

export interface InviteRow {
  id: string;
  hash: string;
  role: AccountRole;
  created_by: string | null;
  created_at: number | string;
  expires_at: number | string;
  used_at: number | string | null;
}

export function toInvite(r: InviteRow): InviteRecord {
  return { id: r.id, hash: r.hash, role: r.role, createdBy: r.created_by, createdAt: num(r.created_at), expiresAt: num(r.expires_at), usedAt: numOrNull(r.used_at) };
}

export interface AuditRow {
  id: number | string;
  at: number | string;
  actor: string | null;
  action: string;
  session_id: string | null;
  detail: string;
  address: string | null;
}

export function toAudit(r: AuditRow): AuditRecord {
  let detail: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(r.detail);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) detail = parsed as Record<string, unknown>;
  } catch {
    // A damaged detail is shown empty rather than hiding the entry.
  }
  return { id: num(r.id), at: num(r.at), actor: r.actor, action: r.action, sessionId: r.session_id, detail, address: r.address };
}

/** WHERE clauses of an audit filter with `?` placeholders, and their values. */
export function auditWhere(f: AuditFilter): { where: string; args: (string | number)[]; limit: number } {
  const clauses: string[] = [];
  const args: (string | number)[] = [];
  if (f.actor !== undefined) (clauses.push('actor = ?'), args.push(f.actor));
  if (f.action !== undefined) (clauses.push('action = ?'), args.push(f.action));
  if (f.sessionId !== undefined) (clauses.push('session_id = ?'), args.push(f.sessionId));
  if (f.before !== undefined) (clauses.push('id < ?'), args.push(f.before));
  const limit = Math.min(Math.max(1, f.limit ?? AUDIT_PAGE), AUDIT_PAGE);
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', args, limit };
}
