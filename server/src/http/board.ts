// The comparison board's routes (mentor key, like the dashboard's):
//   GET /api/board?exercise=SLUG[&sessions=ID,ID,...&sort=COLUMN&order=asc|desc&from=YYYY-MM-DD&to=YYYY-MM-DD&status=STATUS|all&interviewer=NAME&format=csv]
//       (STATUS: waiting, live, ended or archived; common/board.ts)
//       -> BoardData, or its rows as RFC 4180 CSV
//   GET /api/board/compare?a=ID&b=ID -> BoardComparison
// Sorting and filtering are done here so that the CSV holds exactly what the page shows.
import { Router, type Request } from 'express';
import { z } from 'zod';
import { BOARD_COLUMNS, BOARD_STATUSES, boardCsv, cell, type BoardRow } from '../../../common/board.ts';
import type { BoardService } from '../board/service.ts';
import { ServiceError } from '../sessions/errors.ts';
import type { AccountService } from '../accounts/service.ts';
import { principal, requireMentor } from './auth.ts';

const SLUG = z.string({ message: 'exercise must be given once' }).regex(/^[a-z0-9-]{1,100}$/, 'exercise must be an exercise slug');
const DAY = z
  .string({ message: 'dates must be given once' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a date');
const SESSION_ID = z.string({ message: 'a and b must be given once' }).regex(/^[A-Za-z0-9_-]{1,64}$/, 'a session id is 1-64 letters, digits, - or _');

export const BoardQuery = z.strictObject({
  exercise: SLUG,
  sort: z.enum(BOARD_COLUMNS).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  from: DAY.optional(),
  to: DAY.optional(),
  status: z.enum([...BOARD_STATUSES, 'all'], { message: `status must be one of ${BOARD_STATUSES.join(', ')} or all` }).optional(),
  interviewer: z.string({ message: 'interviewer must be given once' }).min(1).max(200).optional(),
  /** The interviews picked on the dashboard (comma-separated ids): the board shows only those. */
  sessions: z
    .string({ message: 'sessions must be given once' })
    .regex(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,99}$/, 'sessions is a comma-separated list of 1 to 100 interview ids')
    .optional(),
  format: z.enum(['json', 'csv']).optional(),
});

export const CompareQuery = z.strictObject({ a: SESSION_ID, b: SESSION_ID }).refine((q) => q.a !== q.b, 'a and b must be two different interviews');

function parse<T>(schema: z.ZodType<T>, req: Request): T {
  const r = schema.safeParse({ ...req.query });
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ServiceError('bad_request', `Invalid query: ${issue && issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'bad input'}`);
}

/** Rows within the dates (UTC days, both inclusive), of the status and interviewer asked for, among the picked ones if any, sorted; nulls last either way. */
export function selectRows(rows: BoardRow[], q: z.infer<typeof BoardQuery>): BoardRow[] {
  const from = q.from === undefined ? -Infinity : Date.parse(`${q.from}T00:00:00Z`);
  const to = q.to === undefined ? Infinity : Date.parse(`${q.to}T00:00:00Z`) + 86_400_000;
  const status = q.status ?? 'all';
  const picked = q.sessions === undefined ? null : new Set(q.sessions.split(','));
  const kept = rows.filter(
    (r) =>
      r.date >= from &&
      r.date < to &&
      (status === 'all' || r.status === status) &&
      (q.interviewer === undefined || r.interviewers.includes(q.interviewer)) &&
      (picked === null || picked.has(r.sessionId)),
  );
  const column = q.sort ?? 'date';
  const sign = (q.order ?? (q.sort === undefined ? 'desc' : 'asc')) === 'asc' ? 1 : -1;
  return kept.sort((x, y) => {
    const a = cell(x, column);
    const b = cell(y, column);
    const tie = x.sessionId < y.sessionId ? -1 : 1;
    if (a === null || b === null) return a === b ? tie : a === null ? 1 : -1;
    const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
    return sign * order || tie;
  });
}

export function boardRouter(d: { board: BoardService; accounts: AccountService }): Router {
  const r = Router();
  r.use('/board', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const mentor = requireMentor(d.accounts);

  r.get('/board', mentor, async (req, res) => {
    const q = parse(BoardQuery, req);
    const data = await d.board.board(q.exercise);
    // A mentor compares the interviews they may read (own and shared); an admin all of them.
    const visible = await d.accounts.visible(principal(res));
    const rows = selectRows(visible ? data.rows.filter((row) => visible.has(row.sessionId)) : data.rows, q);
    if (q.format === 'csv') {
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', `attachment; filename="board-${q.exercise}.csv"`);
      res.send(boardCsv(rows));
      return;
    }
    const shown = new Set(rows.map((row) => row.sessionId));
    res.json({ ...data, rows, similar: data.similar.filter((p) => shown.has(p.a) && shown.has(p.b)) });
  });

  r.get('/board/compare', mentor, async (req, res) => {
    const q = parse(CompareQuery, req);
    for (const id of [q.a, q.b]) await d.accounts.mustOnSession(principal(res), 'interview:read', id);
    res.json(await d.board.compare(q.a, q.b));
  });

  return r;
}
