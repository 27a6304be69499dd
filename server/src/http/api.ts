// JSON API. Thin: validate with zod, call the session service, answer.
import express, { Router } from 'express';
import { z } from 'zod';
import type { ExerciseSummary, HealthResponse } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import type { SessionAdmin } from '../sessions/admin.ts';
import type { Clock } from '../sessions/timer.ts';
import { requireMentor } from './auth.ts';
import { sendError } from './errors.ts';

export const CreateSessionBody = z.strictObject({
  exercise: z.string().min(1).max(100).optional(),
  minutes: z.number().int().min(LIMITS.minSessionMinutes).max(LIMITS.maxSessionMinutes).optional(),
  candidateName: z
    .string()
    .min(1)
    .refine((s) => [...s].length <= LIMITS.candidateNameChars, `at most ${LIMITS.candidateNameChars} characters`),
});

export interface ApiDeps {
  admin: SessionAdmin;
  catalog: ExerciseCatalog;
  clock: Clock;
  mentorKey: string;
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

  const mentor = requireMentor(d.mentorKey);

  api.get('/exercises', mentor, (_req, res) => {
    const list: ExerciseSummary[] = d.catalog.list().map((e) => ({
      slug: e.slug,
      title: e.title,
      minutes: e.minutes,
      difficulty: e.difficulty,
      isDefault: e.isDefault,
    }));
    res.json(list);
  });

  api.get('/sessions', mentor, async (_req, res) => {
    res.json(await d.admin.list());
  });

  api.post('/sessions', mentor, async (req, res) => {
    const body = CreateSessionBody.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return sendError(res, 'bad_request', `Invalid session: ${where}${issue?.message ?? 'bad body'}`);
    }
    res.status(201).json(await d.admin.create(body.data));
  });

  api.get('/sessions/:id', mentor, async (req, res) => {
    const id = String(req.params.id);
    const s = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await d.admin.get(id) : undefined;
    if (!s) return sendError(res, 'not_found', 'No such session.');
    res.json(s);
  });

  api.use((_req, res) => sendError(res, 'not_found', 'No such API route.'));
  return api;
}
