// Records for the store tests: sessions, tokens, runs and timer states, small and valid.
import type { GradeResult } from '../../common/exercise.ts';
import type { RunRecord, SessionRecord, TimerState, TokenRecord } from '../../server/src/store/types.ts';

export const session = (id: string, createdAt = 1000, extra: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  mode: 'interview',
  owner: null,
  exerciseSlug: 'ring-buffer',
  candidateName: 'Ada',
  status: 'waiting',
  createdAt,
  durationMs: 30 * 60_000,
  startedAt: null,
  deadline: null,
  endedAt: null,
  archivedAt: null,
  ...extra,
});

export const tokens = (id: string): TokenRecord[] =>
  (['mentor', 'candidate', 'observer', 'review'] as const).map((role) => ({ hash: `${id}-${role}`, sessionId: id, role, sealed: `sealed-${role}` }));

export const result: GradeResult = { status: 'ok', passed: 1, total: 2, cases: [], diagnostics: [], compilerOutput: '', timings: { compileMs: 1, runMs: 2 } };
export const run = (id: string, sessionId: string, at: number, kind: RunRecord['kind'] = 'manual'): RunRecord => ({
  id,
  sessionId,
  at,
  requestedAt: at - 1,
  kind,
  participantId: null,
  updateId: null,
  source: 'int x;',
  result,
});

export const waiting: TimerState = { status: 'waiting', durationMs: 30 * 60_000, startedAt: null, deadline: null, endedAt: null };
export const live: TimerState = { status: 'live', durationMs: 30 * 60_000, startedAt: 10, deadline: 10 + 30 * 60_000, endedAt: null };
export const start = { at: 10, type: 'start' as const, data: { deadline: live.deadline } };
