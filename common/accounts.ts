// What the accounts API sends (server/src/http/accounts.ts), shared with the client's pages.
import type { AccountRole } from './policy.ts';

export type { AccountRole };

/** GET /api/auth/me: who is signed in; `key` when authorised by MENTOR_KEY (an admin). */
export interface Me {
  id: string | null;
  name: string;
  email: string | null;
  role: AccountRole;
  via: 'cookie' | 'token' | 'key';
  /** Send it as X-CSRF-Token with every state-changing request a cookie authorises. */
  csrf: string | null;
}

export interface AccountView {
  id: string;
  name: string;
  email: string;
  role: AccountRole;
  createdAt: number;
  disabledAt: number | null;
}

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface InviteView {
  id: string;
  role: AccountRole;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface AuditView {
  id: number;
  at: number;
  /** The account's name, 'MENTOR_KEY', 'interviewer link' or 'server'. */
  actorName: string;
  actor: string | null;
  action: string;
  sessionId: string | null;
  detail: Record<string, unknown>;
  address: string | null;
}

/** Audit actions, as the filter offers them. */
export const AUDIT_ACTIONS = [
  'session.create',
  'session.start',
  'session.add-time',
  'session.end',
  'session.archive',
  'session.unarchive',
  'session.delete',
  'session.import',
  'session.export',
  'session.share',
  'session.unshare',
  'session.reassign',
  'session.retention-delete',
  'account.login',
  'account.login-failed',
  'account.logout',
  'account.password',
  'account.invite',
  'account.create',
  'account.disable',
  'account.enable',
  'token.create',
  'token.revoke',
  'settings.retention',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const INVITE_HOURS = 72;
/** Audit entries per page (GET /api/audit; older ones with ?before=ID). */
export const AUDIT_PAGE = 200;
export const CSRF_HEADER = 'X-CSRF-Token';
