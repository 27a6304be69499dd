// Mentor routes: `Authorization: Bearer <mentor key>`, compared in constant time.
import type { RequestHandler } from 'express';
import { secretsEqual } from '../sessions/tokens.ts';
import { sendError } from './errors.ts';

export function requireMentor(mentorKey: string): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !secretsEqual(match[1]!, mentorKey)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendError(res, 'unauthorized', 'A valid mentor key is required.');
      return;
    }
    next();
  };
}
