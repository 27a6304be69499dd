// The socket handshake's account check (realtime AccountGate): an interviewer link opened in a
// signed-in browser joins as that account, if the policy lets the account act on the interview.
// Without a sign-in cookie the link works as before, for guests; other links ignore the cookie.
import type { AccountGate } from '../realtime/index.ts';
import { cookieFrom, LOGIN_COOKIE } from '../http/auth.ts';
import { ServiceError } from '../sessions/errors.ts';
import { hashToken, isTokenShape } from '../sessions/tokens.ts';
import type { Store } from '../store/types.ts';
import type { AccountService } from './service.ts';

export function accountGate(accounts: AccountService, store: Store): AccountGate {
  return async (cookieHeader, token) => {
    const cookie = cookieFrom(cookieHeader, LOGIN_COOKIE);
    if (cookie === undefined || !isTokenShape(token)) return undefined;
    const link = await store.findToken(hashToken(token));
    if (!link || link.role !== 'mentor') return undefined;
    const p = await accounts.fromCookie(cookie);
    // A disabled account's (or a signed-out) browser does not slip back in as a guest.
    if (!p || p.kind !== 'account') throw new ServiceError('unauthorized', 'Your sign-in has ended or your account was disabled; sign in again.');
    if (!(await accounts.may(p, 'interview:act', link.sessionId))) {
      throw new ServiceError('forbidden', 'This interview is not shared with your account; ask its owner to share it with you.');
    }
    return { accountId: p.account.id, name: p.account.name };
  };
}
