import type { ErrorCode, ErrorReply, Result } from '../../../common/protocol.ts';

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

/** Turns a thrown value into an error reply without leaking internals. */
export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof ServiceError) return { code: err.code, message: err.message };
  return { code: 'internal', message: 'Something went wrong on the server.' };
}
