// JSON API. Thin: validate with zod, call the session service, answer.
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { ExerciseSummary, HealthResponse } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { AccountService } from '../accounts/service.ts';
import { actorOf } from '../accounts/service.ts';
import type { SessionAdmin } from '../sessions/admin.ts';
import { ServiceError } from '../sessions/errors.ts';
import { nameField } from '../sessions/name-field.ts';
import type { SessionManager } from '../sessions/manage.ts';
import type { Clock } from '../sessions/timer.ts';
import { principal, requireMentor } from './auth.ts';
import { sendError } from './errors.ts';

export const CreateSessionBody = z.strictObject({
  exercise: z.string().min(1).max(100).optional(),
  minutes: z.number().int().min(LIMITS.minSessionMinutes).max(LIMITS.maxSessionMinutes).optional(),
  candidateName: nameField('The candidate name', LIMITS.candidateNameChars),
});

/** GET /api/sessions: which ones (default: not archived) and a search on the candidate's name. */
export const ListSessionsQuery = z.strictObject({
  archived: z.enum(['false', 'true', 'all'], { message: "archived must be 'false', 'true' or 'all'" }).optional(),
  candidate: z
    .string({ message: 'candidate must be given once' })
    .refine((s) => [...s].length <= LIMITS.candidateNameChars, `the search is at most ${LIMITS.candidateNameChars} characters`)
    .optional(),
});

export const ArchiveBody = z.strictObject({ archived: z.boolean({ message: 'archived must be true or false' }) });

/** Bodies of actions that take none: absent or `{}`. */
const NoBody = z.strictObject({}).optional();

export interface ApiDeps {
  admin: SessionAdmin;
  manage: SessionManager;
  clock: Clock;
  accounts: AccountService;
}

const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The :id of a mentor route, or a bad_request naming what is wrong with it. */
function sessionId(req: Request): string {
  const id = String(req.params.id);
  if (!SESSION_ID.test(id)) throw new ServiceError('bad_request', 'The session id is malformed (1-64 letters, digits, - or _).');
  return id;
}

/** The first zod issue as "what: field: message". */
function invalid(what: string, error: z.ZodError): ServiceError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return new ServiceError('bad_request', `Invalid ${what}: ${where}${issue?.message ?? 'bad input'}`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(what, r.error);
  return r.data;
}

export function apiRouter(d: ApiDeps): Router {
  const api = Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(express.json({ limit: '16kb', strict: true }));

  api.get('/health', (_req, res) => {
    const body: HealthResponse = { ok: true, now: d.clock.now() };
    res.json(body);
  });

  const mentor = requireMentor(d.accounts);
  // Every route below checks the principal against common/policy.ts (accountMay) and records what changed.
  const audit = (req: Request, res: express.Response, action: Parameters<AccountService['audit']>[1], id: string, detail: Record<string, unknown> = {}) =>
    d.accounts.audit(actorOf(principal(res)), action, id, detail, req.ip ?? null);

  api.get('/exercises', mentor, (_req, res) => {
    const list: ExerciseSummary[] = d.admin.offeredExercises().map((e) => ({
      slug: e.slug,
      title: e.title,
      minutes: e.minutes,
      difficulty: e.difficulty,
      isDefault: e.isDefault,
    }));
    res.json(list);
  });

  api.get('/sessions', mentor, async (req, res) => {
    const q = parse(ListSessionsQuery, { ...req.query }, 'query');
    const archived = q.archived === 'all' ? undefined : q.archived === 'true';
    const visible = await d.accounts.visible(principal(res));
    const list = await d.admin.list({ archived, candidate: q.candidate, only: visible });
    res.json(list);
  });

  api.post('/sessions', mentor, async (req, res) => {
    const body = CreateSessionBody.safeParse(req.body);
    if (!body.success) return sendError(res, 'bad_request', invalid('session', body.error).message);
    const created = await d.admin.create(body.data);
    await d.accounts.own(principal(res), created.id);
    await audit(req, res, 'session.create', created.id, { exercise: created.exercise.slug, candidate: created.candidateName });
    res.status(201).json(created);
  });

  api.get('/sessions/:id', mentor, async (req, res) => {
    const id = String(req.params.id);
    const allowed = SESSION_ID.test(id) && (await d.accounts.may(principal(res), 'interview:read', id));
    const s = allowed ? await d.admin.get(id) : undefined;
    if (!s) return sendError(res, 'not_found', 'No such session.');
    res.json(s);
  });

  api.post('/sessions/:id/end', mentor, async (req, res) => {
    const id = sessionId(req);
    parse(NoBody, req.body, 'body');
    await d.accounts.mustOnSession(principal(res), 'interview:act', id);
    const ended = await d.manage.end(id);
    await audit(req, res, 'session.end', id);
    res.json(ended);
  });

  api.patch('/sessions/:id', mentor, async (req, res) => {
    const id = sessionId(req);
    const body = parse(ArchiveBody, req.body ?? {}, 'body');
    await d.accounts.mustOnSession(principal(res), 'interview:act', id);
    const changed = await d.manage.archive(id, body.archived);
    await audit(req, res, body.archived ? 'session.archive' : 'session.unarchive', id);
    res.json(changed);
  });

  api.delete('/sessions/:id', mentor, async (req, res) => {
    const id = sessionId(req);
    parse(NoBody, req.body, 'body');
    await d.accounts.mustOnSession(principal(res), 'interview:delete', id);
    const gone = await d.manage.remove(id);
    await audit(req, res, 'session.delete', id, { exercise: gone.exercise.slug, candidate: gone.candidateName });
    res.status(204).end();
  });

  api.use((_req, res) => sendError(res, 'not_found', 'No such API route.'));
  return api;
}
