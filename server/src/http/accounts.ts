// Accounts API (thin: validate with zod, call AccountService, answer):
//   POST   /api/auth/login {email, password}           -> Me, sets the sign-in cookie (rate-limited)
//   POST   /api/auth/accept {invite, name, email, password} -> Me, creates the account, signs in
//   GET    /api/auth/me                                -> Me (with the CSRF token), or null
//   POST   /api/auth/logout, /api/auth/password {current, next}
//   GET    /api/accounts, POST /api/accounts/:id {disabled}    (admin)
//   GET    /api/invites, POST /api/invites {role}      -> {link, expiresAt} (admin)
//   GET    /api/tokens, POST /api/tokens {name} -> {id, token} (shown once), DELETE /api/tokens/:id
//   GET    /api/audit?actor=&action=&session=&before=  (admin)
//   GET    /api/sessions/:id/shares, POST {email}, DELETE /api/sessions/:id/shares/:account
//   POST   /api/sessions/:id/owner {email}             -> the new owner (admin)
//   GET    /api/settings/retention -> {days} (any mentor: the dashboard shows it), PUT {days} (admin)
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { AUDIT_ACTIONS, type AccountView, type AuditView, type Me } from '../../../common/accounts.ts';
import { actorOf, type AccountService, type Principal } from '../accounts/service.ts';
import { MAX_RETENTION_DAYS, type Retention } from '../accounts/retention.ts';
import { MAX_PASSWORD_CHARS } from '../accounts/passwords.ts';
import type { AccountRecord } from '../store/accounts.ts';
import type { Store } from '../store/types.ts';
import { ServiceError } from '../sessions/errors.ts';
import { nameField } from '../sessions/name-field.ts';
import { clearLoginCookie, principal, principalOf, requireMentor, setLoginCookie } from './auth.ts';

const email = z.email({ message: 'email must be an email address' }).max(254);
const password = z.string({ message: 'password must be text' }).min(1, 'password is empty').max(MAX_PASSWORD_CHARS, `password is at most ${MAX_PASSWORD_CHARS} characters`);
const ID = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'malformed id');

export const LoginBody = z.strictObject({ email: z.string().max(254), password });
export const AcceptBody = z.strictObject({ invite: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'invite: not an invite token'), name: nameField('The name', 80), email, password });
export const PasswordBody = z.strictObject({ current: password, next: password });
export const DisableBody = z.strictObject({ disabled: z.boolean({ message: 'disabled must be true or false' }) });
export const InviteBody = z.strictObject({ role: z.enum(['admin', 'mentor'], { message: "role must be 'admin' or 'mentor'" }) });
export const TokenBody = z.strictObject({ name: nameField('The token name', 80) });
export const ShareBody = z.strictObject({ email });
export const RetentionBody = z.strictObject({
  days: z.number({ message: 'days must be a number or null' }).int('days must be whole').min(1).max(MAX_RETENTION_DAYS).nullable(),
});
export const AuditQuery = z.strictObject({
  actor: z.string({ message: 'actor must be given once' }).max(64).optional(),
  action: z.enum(AUDIT_ACTIONS, { message: 'action: not an audit action' }).optional(),
  session: ID.optional(),
  before: z.coerce.number({ message: 'before must be a number' }).int().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ServiceError('bad_request', `Invalid ${what}: ${issue && issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'bad input'}`);
}

const address = (req: Request) => req.ip ?? '';

export const accountView = (a: AccountRecord): AccountView => ({ id: a.id, name: a.name, email: a.email, role: a.role, createdAt: a.createdAt, disabledAt: a.disabledAt });

export function accountsRouter(d: { accounts: AccountService; store: Store; retention: Retention }): Router {
  const r = Router();
  const s = d.store.accounts;
  /** Whom an interview is shared with or handed to: an account that may sign in. */
  const activeAccount = async (email: string): Promise<AccountRecord> => {
    const account = await s.findAccountByEmail(email);
    if (!account || account.disabledAt !== null) throw new ServiceError('not_found', 'No active account has that email.');
    return account;
  };
  r.use(['/auth', '/accounts', '/invites', '/tokens', '/audit', '/settings', '/sessions/:id/shares'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  r.use(express.json({ limit: '16kb', strict: true }));
  const mentor = requireMentor(d.accounts);
  const me = (p: Principal, loginHash?: string): Me =>
    p.kind === 'key'
      ? { id: null, name: 'MENTOR_KEY', email: null, role: 'admin', via: 'key', csrf: null }
      : { id: p.account.id, name: p.account.name, email: p.account.email, role: p.role, via: p.via, csrf: loginHash ? d.accounts.csrfOf(loginHash) : null };

  r.post('/auth/login', async (req, res) => {
    const b = parse(LoginBody, req.body, 'sign-in');
    const login = await d.accounts.login(b.email, b.password, address(req));
    setLoginCookie(req, res, login.cookie, login.expiresAt);
    const p = (await d.accounts.fromCookie(login.cookie))!;
    res.json(me(p, p.kind === 'account' ? p.loginHash : undefined));
  });

  r.post('/auth/accept', async (req, res) => {
    const b = parse(AcceptBody, req.body, 'account');
    await d.accounts.acceptInvite(b.invite, b.name, b.email, b.password, address(req));
    const login = await d.accounts.login(b.email, b.password, address(req));
    setLoginCookie(req, res, login.cookie, login.expiresAt);
    const p = (await d.accounts.fromCookie(login.cookie))!;
    res.status(201).json(me(p, p.kind === 'account' ? p.loginHash : undefined));
  });

  // Nobody signed in is an answer (null), not an error: the dashboard asks before showing the sign-in form.
  r.get('/auth/me', async (req, res) => {
    const p = await principalOf(d.accounts, req);
    res.json(p ? me(p, p.kind === 'account' ? p.loginHash : undefined) : null);
  });

  r.post('/auth/logout', mentor, async (req, res) => {
    await d.accounts.logout(principal(res), address(req));
    clearLoginCookie(req, res);
    res.status(204).end();
  });

  r.post('/auth/password', mentor, async (req, res) => {
    const b = parse(PasswordBody, req.body, 'password change');
    await d.accounts.changePassword(principal(res), b.current, b.next, address(req));
    res.status(204).end();
  });

  r.get('/accounts', mentor, async (_req, res) => {
    d.accounts.must(principal(res), 'accounts:manage');
    res.json((await s.listAccounts()).map(accountView));
  });

  r.post('/accounts/:id', mentor, async (req, res) => {
    const id = parse(ID, req.params.id, 'account id');
    const b = parse(DisableBody, req.body, 'body');
    res.json(accountView(await d.accounts.setDisabled(principal(res), id, b.disabled, address(req))));
  });

  r.get('/invites', mentor, async (_req, res) => {
    d.accounts.must(principal(res), 'accounts:manage');
    res.json(
      (await s.listInvites()).filter((i) => i.createdBy !== null).map((i) => ({ id: i.id, role: i.role, createdAt: i.createdAt, expiresAt: i.expiresAt, usedAt: i.usedAt })),
    );
  });

  r.post('/invites', mentor, async (req, res) => {
    const b = parse(InviteBody, req.body, 'invite');
    const invite = await d.accounts.invite(principal(res), b.role, address(req));
    // A fragment: the token never reaches a server log or a Referer header.
    res.status(201).json({ id: invite.id, link: `/mentor/join#invite=${invite.token}`, expiresAt: invite.expiresAt });
  });

  r.get('/tokens', mentor, async (_req, res) => {
    const p = principal(res);
    const list = p.kind === 'account' ? await s.listApiTokens(p.account.id) : [];
    res.json(list.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt })));
  });

  r.post('/tokens', mentor, async (req, res) => {
    const b = parse(TokenBody, req.body, 'token');
    res.status(201).json(await d.accounts.createToken(principal(res), b.name, address(req)));
  });

  r.delete('/tokens/:id', mentor, async (req, res) => {
    await d.accounts.revokeToken(principal(res), parse(z.uuid(), req.params.id, 'token id'), address(req));
    res.status(204).end();
  });

  r.get('/audit', mentor, async (req, res) => {
    d.accounts.must(principal(res), 'audit:read');
    const q = parse(AuditQuery, { ...req.query }, 'query');
    const entries = await s.listAudit({ actor: q.actor, action: q.action, sessionId: q.session, before: q.before });
    const names = new Map((await s.listAccounts()).map((a) => [a.id, a.name]));
    const actorName = (actor: string | null) =>
      actor === null ? 'server' : actor === 'key' ? 'MENTOR_KEY' : actor === 'link' ? 'interviewer link' : (names.get(actor) ?? 'deleted account');
    res.json(entries.map((e): AuditView => ({ ...e, actorName: actorName(e.actor) })));
  });

  r.get('/settings/retention', mentor, async (_req, res) => {
    res.json({ days: await d.retention.days() });
  });

  r.put('/settings/retention', mentor, async (req, res) => {
    const b = parse(RetentionBody, req.body, 'retention');
    await d.retention.setDays(principal(res), b.days, address(req));
    res.json({ days: b.days });
  });

  r.get('/sessions/:id/shares', mentor, async (req, res) => {
    const id = parse(ID, req.params.id, 'session id');
    await d.accounts.mustOnSession(principal(res), 'interview:read', id);
    const ids = await s.sharedWith(id);
    const all = await s.listAccounts();
    res.json(all.filter((a) => ids.includes(a.id)).map(accountView));
  });

  r.post('/sessions/:id/shares', mentor, async (req, res) => {
    const id = parse(ID, req.params.id, 'session id');
    const b = parse(ShareBody, req.body, 'share');
    const p = principal(res);
    await d.accounts.mustOnSession(p, 'interview:share', id);
    const with_ = await activeAccount(b.email);
    await s.share(id, with_.id);
    await d.accounts.audit(actorOf(p), 'session.share', id, { with: with_.id, email: with_.email }, address(req));
    res.status(201).json(accountView(with_));
  });

  r.post('/sessions/:id/owner', mentor, async (req, res) => {
    const id = parse(ID, req.params.id, 'session id');
    const b = parse(ShareBody, req.body, 'owner');
    const p = principal(res);
    await d.accounts.mustOnSession(p, 'interview:reassign', id);
    const to = await activeAccount(b.email);
    const record = await d.store.getSession(id);
    if (!record || record.mode !== 'interview' || record.owner !== null) throw new ServiceError('not_found', 'No such session.');
    const from = await s.ownerOf(id);
    await s.setOwner(id, to.id);
    await d.accounts.audit(actorOf(p), 'session.reassign', id, { from: from ?? null, to: to.id, email: to.email }, address(req));
    res.json(accountView(to));
  });

  r.delete('/sessions/:id/shares/:account', mentor, async (req, res) => {
    const id = parse(ID, req.params.id, 'session id');
    const account = parse(ID, req.params.account, 'account id');
    const p = principal(res);
    await d.accounts.mustOnSession(p, 'interview:share', id);
    if (!(await s.unshare(id, account))) throw new ServiceError('not_found', 'The interview is not shared with that account.');
    await d.accounts.audit(actorOf(p), 'session.unshare', id, { with: account }, address(req));
    res.status(204).end();
  });

  return r;
}
