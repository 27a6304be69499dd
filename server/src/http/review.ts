// Review routes. The link token travels as `Authorization: Bearer <token>` (never in a URL the
// server logs); the review service checks the token's role against the policy.
//   GET  /api/review               -> ReviewData         (review link, or the mentor's, once ended)
//   POST /api/review/test          -> ReviewRun          ({updateId}: "test this moment")
//   PUT  /api/review/scorecard     -> Scorecard          (mentor link, once ended)
//   GET  /api/review/export        -> the session export (JSON download)
//   POST /api/import[?file=NAME]   -> 201 SessionSummary (mentor key; body: an export; 409 when imported before)
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { Action } from '../../../common/policy.ts';
import type { SessionAdmin } from '../sessions/admin.ts';
import type { Clock } from '../sessions/timer.ts';
import type { Keys } from '../sessions/tokens.ts';
import { MAX_IMPORT_BYTES, ScorecardBody, TestMomentBody } from '../review/export-schema.ts';
import type { Importer } from '../review/importer.ts';
import type { ReviewService } from '../review/service.ts';
import { actorOf, type AccountService } from '../accounts/service.ts';
import { cookiePrincipal, principal, requireMentor } from './auth.ts';
import { sendError } from './errors.ts';
import { cleanName } from '../sessions/views.ts';

export interface ReviewRouteDeps {
  review: ReviewService;
  admin: SessionAdmin;
  importer: Importer;
  keys: Keys;
  accounts: AccountService;
  clock: Clock;
  /** PUBLIC_URL: how exports name this server (else the address the request came to). */
  publicUrl?: string;
}

/** POST /api/import?file=NAME: the uploaded file's name, the source shown when the export names no server. */
const ImportQuery = z.strictObject({ file: z.string({ message: 'file must be given once' }).max(200, 'file is at most 200 characters').optional() });

function bearer(req: Request): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
}

function body<T>(schema: z.ZodType<T>, value: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, message: `${issue && issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'bad body'}` };
}

export function reviewRouter(d: ReviewRouteDeps): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const small = express.json({ limit: '64kb', strict: true });
  const access = (req: Request, action: Action) => d.review.access(bearer(req), action);

  r.get('/review', async (req, res) => {
    res.json(await d.review.data(await access(req, 'review')));
  });

  r.post('/review/test', small, async (req, res) => {
    const a = await access(req, 'review:test');
    const b = body(TestMomentBody, req.body);
    if (!b.ok) return sendError(res, 'bad_request', `Invalid request: ${b.message}`);
    res.json(await d.review.testMoment(a, b.value.updateId));
  });

  r.put('/review/scorecard', small, async (req, res) => {
    const a = await access(req, 'scorecard');
    const b = body(ScorecardBody, req.body);
    if (!b.ok) return sendError(res, 'bad_request', `Invalid scorecard: ${b.message}`);
    res.json(await d.review.saveScorecard(a, b.value));
  });

  r.get('/review/export', async (req, res) => {
    const a = await access(req, 'review');
    const doc = await d.review.exportSession(a, d.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
    // Exports go through a link; a signed-in browser names its account, else the link did it.
    const by = await cookiePrincipal(d.accounts, req.get('cookie'));
    await d.accounts.audit(by ? actorOf(by) : 'link', 'session.export', a.record.id, { role: a.role }, req.ip ?? null);
    const name = `${a.exercise.slug}-${a.record.candidateName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'session'}.json`;
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.json(doc);
  });

  // The body is parsed in the importer's worker thread: JSON.parse of 32 MiB alone held the event loop for 0.3 s.
  r.post('/import', requireMentor(d.accounts), express.raw({ type: 'application/json', limit: MAX_IMPORT_BYTES }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) return sendError(res, 'bad_request', 'Invalid session export: send it as JSON (Content-Type: application/json).');
    const q = body(ImportQuery, { ...req.query });
    if (!q.ok) return sendError(res, 'bad_request', `Invalid query: ${q.message}`);
    const file = q.value.file === undefined ? undefined : cleanName(q.value.file, 200) || undefined;
    const id = await d.importer.run(req.body, d.clock.now(), file);
    const p = principal(res);
    await d.accounts.own(p, id);
    await d.accounts.audit(actorOf(p), 'session.import', id, { file: file ?? null }, req.ip ?? null);
    res.status(201).json(await d.admin.get(id));
  });

  return r;
}
