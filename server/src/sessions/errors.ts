import { denial, type Action, type Mode, type PolicyRole } from '../../../common/policy.ts';
import type { ErrorCode, ErrorReply, Result, SessionStatus } from '../../../common/protocol.ts';

/** An expected failure with a code the client understands; anything else is 'internal'. */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Result<T> => ({ ok: false, error: { code, message } });

/** The policy's answer for this role in this session now, as a failed Result (null = allowed). */
export function refused<T>(session: { mode: Mode; status: SessionStatus }, role: PolicyRole, action: Action): Result<T> | null {
  const no = denial(session.mode, role, session.status, action);
  return no ? fail(no.code, no.message) : null;
}

/** Turns a thrown value into an error reply without leaking internals. */
export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'Something went wrong on the server.' };
}
