// Mentor routes accept, in this order:
// - `Authorization: Bearer <token>`: an account's API token, or MENTOR_KEY (an admin without an
//   account, for existing deployments and scripts); compared in constant time / by hash;
// - the sign-in cookie (HttpOnly, SameSite=Lax, Secure over https) holding a server-side session id.
// CSRF: a request the cookie authorises that changes anything (not GET/HEAD) must also carry
// X-CSRF-Token, derived from the session id (AccountService.csrfOf) and read by the page from
// GET /api/auth/me. Another site can make the browser send the cookie, but it can neither read
// that reply (no CORS) nor compute the token, and no proxy or browser quirk about Origin headers
// weakens it. Bearer requests need no token: browsers never add that header by themselves.
import type { Request, RequestHandler, Response } from 'express';
import { CSRF_HEADER } from '../../../common/accounts.ts';
import type { AccountService, Principal } from '../accounts/service.ts';
import { secretsEqual } from '../sessions/tokens.ts';
import { sendError } from './errors.ts';

export const LOGIN_COOKIE = 'ci_login';

export function bearerOf(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
}

/** A cookie's value from a Cookie header; undefined when absent or not decodable. */
export function cookieFrom(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The request's principal without checking CSRF (for GET /api/auth/me and the socket handshake). */
export async function principalOf(accounts: AccountService, req: Request): Promise<Principal | undefined> {
  const bearer = bearerOf(req);
  if (bearer !== undefined) return accounts.fromBearer(bearer);
  return cookiePrincipal(accounts, req.get('cookie'));
}

/** The principal of a Cookie header's sign-in, if any (review exports, the socket handshake). */
export async function cookiePrincipal(accounts: AccountService, header: string | undefined): Promise<Principal | undefined> {
  const cookie = cookieFrom(header, LOGIN_COOKIE);
  return cookie === undefined ? undefined : accounts.fromCookie(cookie);
}

/** The principal set by requireMentor. */
export function principal(res: Response): Principal {
  return res.locals.principal as Principal;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requireMentor(accounts: AccountService): RequestHandler {
  return (req, res, next) => {
    principalOf(accounts, req).then((p) => {
      if (!p) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendError(res, 'unauthorized', 'Sign in, or send a valid API token (Authorization: Bearer).');
      }
      if (p.kind === 'account' && p.via === 'cookie' && !SAFE.has(req.method)) {
        const sent = req.get(CSRF_HEADER) ?? '';
        if (!p.loginHash || !secretsEqual(sent, accounts.csrfOf(p.loginHash))) {
          return sendError(res, 'forbidden', `Missing or wrong ${CSRF_HEADER} header; reload the page.`);
        }
      }
      res.locals.principal = p;
      next();
    }, next);
  };
}

export function setLoginCookie(req: Request, res: Response, value: string, expiresAt: number): void {
  res.cookie(LOGIN_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', expires: new Date(expiresAt) });
}

export function clearLoginCookie(req: Request, res: Response): void {
  res.clearCookie(LOGIN_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}
