import type { ErrorRequestHandler, Response } from 'express';
import type { ApiError, ErrorCode } from '../../../common/protocol.ts';
import { ServiceError } from '../sessions/errors.ts';

export const STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  session_ended: 409,
  too_large: 413,
  busy: 503,
  unavailable: 503,
  rate_limited: 429,
  internal: 500,
};

export function sendError(res: Response, code: ErrorCode, message: string): void {
  const body: ApiError = { error: { code, message } };
  res.status(STATUS[code]).json(body);
}

/** Last handler: body-parser failures, service errors, and anything unexpected (logged, not shown). */
export function errorHandler(log: (msg: string, err?: unknown) => void): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof ServiceError) return sendError(res, err.code, err.message);
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') return sendError(res, 'too_large', 'The request body is too large.');
    if (e.type === 'entity.parse.failed') return sendError(res, 'bad_request', 'The request body is not valid JSON.');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendError(res, 'bad_request', 'Bad request.');
    log('request failed', err);
    sendError(res, 'internal', 'Something went wrong on the server.');
  };
}
