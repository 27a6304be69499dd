// Practice routes. No account: the first visit gets an anonymous identity, a random token in an
// HttpOnly cookie; the server keeps only its hash as the owner of the browser's attempts.
//   GET    /api/practice/exercises            -> PracticeExercise[]      (with this browser's best scores)
//   GET    /api/practice/exercises/:slug      -> PracticeExerciseDetail  (read before starting; no attempt made)
//   GET    /api/practice/attempts             -> PracticeAttempt[]       (this browser's only)
//   POST   /api/practice/attempts             -> 201 PracticeAttempt     ({exercise, start?, from?})
//   GET    /api/practice/attempts/:id/learn   -> PracticeLearn           (this browser's, once submitted)
//   DELETE /api/practice/attempts/:id         -> 204
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { PracticeService } from '../practice/service.ts';
import { hashToken, isTokenShape, newToken } from '../sessions/tokens.ts';
import { AddressLimits } from './address-limit.ts';
import { sendError } from './errors.ts';

export const PRACTICE_COOKIE = 'ci_practice';
const YEAR_MS = 365 * 24 * 3_600_000;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const StartBody = z.strictObject({
  exercise: z.string().min(1).max(100),
  start: z.boolean().optional(),
  from: z.string().regex(ID, 'not an attempt id').optional(),
});

/** The reason a start request was refused, naming the field. */
function startProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  const field = issue?.path[0];
  if (field === undefined || field === 'exercise' || issue?.code === 'unrecognized_keys') return 'Invalid request: name the exercise, e.g. {"exercise": "ring-buffer"}.';
  return `Invalid request: ${String(field)}: ${issue?.message ?? 'invalid'}.`;
}

/** The cookie's value; undefined when absent or not decodable (a malformed one counts as none). */
function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decoded(part.slice(eq + 1).trim());
  }
  return undefined;
}

function decoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined; // e.g. '%E0%A4%A': URIError
  }
}

/** New practice attempts one client address may start in an hour, whatever its cookies. */
export const PRACTICE_STARTS_PER_ADDRESS_HOUR = 60;

export function practiceRouter(practice: PracticeService, addresses = new AddressLimits(PRACTICE_STARTS_PER_ADDRESS_HOUR)): Router {
  const r = Router();

  /**
   * The browser's practice identity (hashed), creating it on first use. A browser gets its cookie
   * when it opens the catalogue; a start without one is a script's, and gets its address's identity
   * of the last hour (`reuse`), so dropping the cookie mints nothing new. Reading never shares an
   * identity: two students behind one address must not see each other's attempts.
   */
  function identity(req: Request, res: Response, reuse = false): string {
    let token = cookieValue(req, PRACTICE_COOKIE);
    if (!isTokenShape(token)) {
      token = reuse ? addresses.tokenFor(req.ip ?? 'unknown', newToken) : newToken();
      res.cookie(PRACTICE_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/api/practice', maxAge: YEAR_MS });
    }
    return hashToken(token);
  }

  r.use('/practice', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  r.get('/practice/exercises', async (req, res) => {
    res.json(await practice.catalogue(identity(req, res)));
  });

  r.get('/practice/exercises/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    if (!SLUG.test(slug) || slug.length > 100) return sendError(res, 'not_found', `No exercise '${slug.slice(0, 100)}'.`);
    res.json(await practice.exercise(identity(req, res), slug));
  });

  r.get('/practice/attempts', async (req, res) => {
    res.json(await practice.attempts(identity(req, res)));
  });

  r.post('/practice/attempts', express.json({ limit: '4kb', strict: true }), async (req, res) => {
    const body = StartBody.safeParse(req.body);
    if (!body.success) return sendError(res, 'bad_request', startProblem(body.error));
    const owner = identity(req, res, true);
    const slot = addresses.takeStart(req.ip ?? 'unknown');
    if (!slot.ok) {
      res.setHeader('Retry-After', String(slot.retryInS));
      return sendError(
        res,
        'rate_limited',
        `At most ${PRACTICE_STARTS_PER_ADDRESS_HOUR} practice attempts an hour from one network address; try again in ${Math.ceil(slot.retryInS / 60)} min.`,
      );
    }
    const { exercise, start, from } = body.data;
    try {
      res.status(201).json(await practice.start(owner, { exercise, ...(start !== undefined ? { start } : {}), ...(from !== undefined ? { from } : {}) }));
    } catch (err) {
      addresses.refundStart(req.ip ?? 'unknown');
      throw err;
    }
  });

  r.get('/practice/attempts/:id/learn', async (req, res) => {
    const id = String(req.params.id);
    if (!ID.test(id)) return sendError(res, 'not_found', 'No such attempt.');
    res.json(await practice.learn(identity(req, res), id));
  });

  r.delete('/practice/attempts/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!ID.test(id)) return sendError(res, 'not_found', 'No such attempt.');
    await practice.remove(identity(req, res), id);
    res.status(204).end();
  });

  return r;
}
