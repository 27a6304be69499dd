// Who is asking, and account management: sign-in sessions (server-side, so any node accepts
// them), API tokens, MENTOR_KEY as an admin token, invites and the first-start setup link,
// disabling, interview access by the one policy (common/policy.ts), and the audit log.
import crypto from 'node:crypto';
import { accountMay, type AccountAction, type AccountRole, type Relation } from '../../../common/policy.ts';
import type { AuditAction } from '../../../common/accounts.ts';
import { INVITE_HOURS } from '../../../common/accounts.ts';
import type { AccountRecord, Actor } from '../store/accounts.ts';
import type { Store } from '../store/types.ts';
import { ServiceError } from '../sessions/errors.ts';
import type { Clock } from '../sessions/timer.ts';
import { hashToken, newToken, secretsEqual } from '../sessions/tokens.ts';
import { WindowLimits } from '../sliding-window.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

export const LOGIN_DAYS = 7;
const DAY = 86_400_000;
/** Failed sign-ins allowed per account and per address in LOGIN_WINDOW_MS. */
export const LOGIN_FAILURES_PER_ACCOUNT = 5;
export const LOGIN_FAILURES_PER_ADDRESS = 20;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** A token's "last used" is written at most this often (not on every request). */
const TOUCH_MS = 60_000;

/** Who a request or connection acts for. MENTOR_KEY is an admin without an account. */
export type Principal = { kind: 'key'; role: 'admin' } | { kind: 'account'; role: AccountRole; account: AccountRecord; via: 'cookie' | 'token'; loginHash?: string };

export const actorOf = (p: Principal): Actor => (p.kind === 'key' ? 'key' : p.account.id);

export interface AccountDeps {
  store: Store;
  clock: Clock;
  mentorKey: string;
  /** Disconnects the account's open sockets on every node (realtime). */
  disconnect?: (accountId: string) => void;
}

export class AccountService {
  readonly perAccount: WindowLimits;
  readonly perAddress: WindowLimits;

  constructor(private readonly d: AccountDeps) {
    const now = () => d.clock.now();
    this.perAccount = new WindowLimits(LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_MS, now);
    this.perAddress = new WindowLimits(LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_MS, now);
  }

  set disconnect(fn: (accountId: string) => void) {
    this.d.disconnect = fn;
  }

  private get store() {
    return this.d.store.accounts;
  }

  /** The principal of a bearer token (MENTOR_KEY or an API token), or undefined. */
  async fromBearer(token: string): Promise<Principal | undefined> {
    if (secretsEqual(token, this.d.mentorKey)) return { kind: 'key', role: 'admin' };
    const record = await this.store.findApiToken(hashToken(token));
    if (!record || record.revokedAt !== null) return undefined;
    const account = await this.store.getAccount(record.accountId);
    if (!account || account.disabledAt !== null) return undefined;
    const now = this.d.clock.now();
    if (record.lastUsedAt === null || now - record.lastUsedAt > TOUCH_MS) await this.store.touchApiToken(record.id, now);
    return { kind: 'account', role: account.role, account, via: 'token' };
  }

  /** The principal of a sign-in cookie's value, or undefined (unknown, expired or disabled). */
  async fromCookie(value: string): Promise<Principal | undefined> {
    const hash = hashToken(value);
    const login = await this.store.findLogin(hash);
    if (!login) return undefined;
    if (login.expiresAt <= this.d.clock.now()) {
      await this.store.deleteLogin(hash);
      return undefined;
    }
    const account = await this.store.getAccount(login.accountId);
    if (!account || account.disabledAt !== null) return undefined;
    return { kind: 'account', role: account.role, account, via: 'cookie', loginHash: hash };
  }

  /**
   * The CSRF token of a sign-in: derived from its secret id, which only the browser's HttpOnly
   * cookie holds, so another site can neither read nor compute it (see http/auth.ts).
   */
  csrfOf(loginHash: string): string {
    return crypto.createHash('sha256').update(`csrf:${loginHash}`).digest('base64url');
  }

  /** Signs in; the same error for an unknown email, a wrong password or a disabled account. */
  async login(email: string, password: string, address: string): Promise<{ cookie: string; account: AccountRecord; expiresAt: number }> {
    const key = email.trim().toLowerCase();
    const wait = Math.max(this.perAccount.waitS(key), this.perAddress.waitS(address));
    if (wait > 0) throw new ServiceError('rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s).`);
    const account = await this.store.findAccountByEmail(key);
    const matches = await verifyPassword(account?.passwordHash, password);
    if (!account || !matches || account.disabledAt !== null) {
      this.perAccount.record(key);
      this.perAddress.record(address);
      await this.audit(account?.id ?? null, 'account.login-failed', null, { email: key.slice(0, 200) }, address);
      throw new ServiceError('unauthorized', 'The email or password is not right.');
    }
    this.perAccount.clear(key);
    const cookie = newToken();
    const now = this.d.clock.now();
    const expiresAt = now + LOGIN_DAYS * DAY;
    await this.store.addLogin({ hash: hashToken(cookie), accountId: account.id, createdAt: now, expiresAt });
    await this.audit(account.id, 'account.login', null, {}, address);
    return { cookie, account, expiresAt };
  }

  async logout(p: Principal, address: string): Promise<void> {
    if (p.kind === 'account' && p.loginHash) await this.store.deleteLogin(p.loginHash);
    await this.audit(actorOf(p), 'account.logout', null, {}, address);
  }

  /** Changes the password; every other sign-in of the account ends. */
  async changePassword(p: Principal, current: string, next: string, address: string): Promise<void> {
    if (p.kind !== 'account') throw new ServiceError('forbidden', 'MENTOR_KEY has no password; sign in with an account.');
    if (!(await verifyPassword(p.account.passwordHash, current))) throw new ServiceError('forbidden', 'The current password is not right.');
    const problem = passwordProblem(next);
    if (problem) throw new ServiceError('bad_request', problem);
    await this.store.setPassword(p.account.id, await hashPassword(next));
    await this.store.deleteLoginsOf(p.account.id, p.loginHash);
    await this.audit(p.account.id, 'account.password', null, {}, address);
  }

  /** An invite link's token; `by` null: the first-start setup link (an admin). */
  async invite(by: Principal | null, role: AccountRole, address: string | null): Promise<{ token: string; id: string; expiresAt: number }> {
    if (by) this.must(by, 'accounts:manage');
    const token = newToken();
    const now = this.d.clock.now();
    const id = crypto.randomUUID();
    const expiresAt = now + INVITE_HOURS * 3_600_000;
    await this.store.addInvite({ id, hash: hashToken(token), role, createdBy: by ? actorOf(by) : null, createdAt: now, expiresAt, usedAt: null });
    if (by) await this.audit(actorOf(by), 'account.invite', null, { invite: id, role }, address);
    return { token, id, expiresAt };
  }

  /** First start: no account yet, so a setup link that creates the first admin; undefined once there is one. */
  async setupLink(): Promise<string | undefined> {
    if ((await this.store.countAccounts()) > 0) return undefined;
    return (await this.invite(null, 'admin', null)).token;
  }

  /** Creates the invited person's account; the first admin also gets every interview nobody owns. */
  async acceptInvite(token: string, name: string, email: string, password: string, address: string): Promise<AccountRecord> {
    const problem = passwordProblem(password);
    if (problem) throw new ServiceError('bad_request', problem);
    const now = this.d.clock.now();
    const account: AccountRecord = {
      id: crypto.randomUUID(),
      name,
      email: email.trim(),
      passwordHash: await hashPassword(password),
      role: 'mentor',
      createdAt: now,
      disabledAt: null,
    };
    const r = await this.store.acceptInvite(hashToken(token), now, account);
    if (!r.ok && r.reason === 'email_taken') throw new ServiceError('conflict', 'An account with that email exists already; sign in instead.');
    if (!r.ok) throw new ServiceError('not_found', 'This invite link is not valid: it was used already, or it expired. Ask an admin for a new one.');
    const created = { ...account, role: r.invite.role };
    if (created.role === 'admin') await this.store.claimUnowned(created.id);
    await this.audit(created.id, 'account.create', null, { invite: r.invite.id, role: created.role, email: created.email }, address);
    return created;
  }

  /** Disables (or enables) an account: its sign-ins end, its tokens and open sockets are refused at once. */
  async setDisabled(by: Principal, accountId: string, disabled: boolean, address: string): Promise<AccountRecord> {
    this.must(by, 'accounts:manage');
    if (by.kind === 'account' && by.account.id === accountId) throw new ServiceError('conflict', 'You cannot disable your own account.');
    const target = await this.store.getAccount(accountId);
    if (!target) throw new ServiceError('not_found', 'No such account.');
    await this.store.setDisabled(accountId, disabled ? this.d.clock.now() : null);
    if (disabled) {
      await this.store.deleteLoginsOf(accountId);
      this.d.disconnect?.(accountId);
    }
    await this.audit(actorOf(by), disabled ? 'account.disable' : 'account.enable', null, { account: accountId, email: target.email }, address);
    return (await this.store.getAccount(accountId))!;
  }

  /** A new API token for the principal's own account: returned once, stored hashed. */
  async createToken(p: Principal, name: string, address: string): Promise<{ id: string; token: string }> {
    if (p.kind !== 'account') throw new ServiceError('forbidden', 'MENTOR_KEY cannot make tokens; sign in with an account.');
    const token = newToken();
    const id = crypto.randomUUID();
    await this.store.addApiToken({ id, hash: hashToken(token), accountId: p.account.id, name, createdAt: this.d.clock.now(), lastUsedAt: null, revokedAt: null });
    await this.audit(p.account.id, 'token.create', null, { token: id, name }, address);
    return { id, token };
  }

  async revokeToken(p: Principal, id: string, address: string): Promise<void> {
    if (p.kind !== 'account' || !(await this.store.revokeApiToken(p.account.id, id, this.d.clock.now()))) throw new ServiceError('not_found', 'No such token.');
    await this.audit(p.account.id, 'token.revoke', null, { token: id }, address);
  }

  /** How the principal stands to an interview: its owner, shared with it, or neither. */
  async relation(p: Principal, sessionId: string): Promise<Relation> {
    if (p.kind === 'key') return 'none';
    if ((await this.store.ownerOf(sessionId)) === p.account.id) return 'owner';
    return (await this.store.sharedWith(sessionId)).includes(p.account.id) ? 'shared' : 'none';
  }

  /** Whether the principal may do this to the interview (the policy table decides). */
  async may(p: Principal, action: AccountAction, sessionId: string): Promise<boolean> {
    return accountMay(p.role, action, await this.relation(p, sessionId));
  }

  /** Refuses with not_found (a mentor cannot tell others' interviews from missing ones) unless allowed. */
  async mustOnSession(p: Principal, action: AccountAction, sessionId: string): Promise<void> {
    if (!(await this.may(p, 'interview:read', sessionId))) throw new ServiceError('not_found', 'No such session.');
    if (!(await this.may(p, action, sessionId))) throw new ServiceError('forbidden', "Only the interview's owner or an admin may do that.");
  }

  /** The interview ids the principal may see; undefined: all of them (an admin). */
  async visible(p: Principal): Promise<Set<string> | undefined> {
    if (accountMay(p.role, 'interview:read', 'none')) return undefined;
    return p.kind === 'account' ? this.store.accessibleSessions(p.account.id) : new Set();
  }

  must(p: Principal, action: AccountAction): void {
    if (!accountMay(p.role, action)) throw new ServiceError('forbidden', 'Only an admin may do that.');
  }

  /** A new interview belongs to its creator; one made with MENTOR_KEY to the first admin, if any. */
  async own(p: Principal, sessionId: string): Promise<void> {
    const owner = p.kind === 'account' ? p.account.id : (await this.store.listAccounts()).find((a) => a.role === 'admin')?.id;
    if (owner) await this.store.setOwner(sessionId, owner);
  }

  audit(actor: Actor, action: AuditAction, sessionId: string | null, detail: Record<string, unknown>, address: string | null): Promise<void> {
    return this.store.addAudit({ at: this.d.clock.now(), actor, action, sessionId, detail, address });
  }
}
