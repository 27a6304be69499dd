// Ended interviews written straight into a store, for the comparison board's tests, e2e and bench:
// a session, its interviewer, a few runs, signals, a final grading of `source` and a scorecard.
import type { GradeResult } from '../../common/exercise.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import type { Store } from '../../server/src/store/types.ts';
import { session, tokens } from './store-fixtures.ts';

export interface SeedInterview {
  id: string;
  candidate: string;
  source: string;
  /** When it started (ms); it lasts 25 minutes. */
  startedAt: number;
  interviewer?: string;
  /** Cases that fail in the final grading, by index into exercise.cases. */
  failing?: number[];
  overall?: number | null;
  archived?: boolean;
  pastes?: number;
}

const MIN = 60_000;

function grade(exercise: Exercise, failing: number[], faultOn: number | null): GradeResult {
  const cases = exercise.cases.map((c, i) => ({
    name: c.name,
    visible: c.visible,
    status: failing.includes(i) ? ('fail' as const) : ('pass' as const),
    ...(faultOn === i ? { status: 'runtime_error' as const, fault: { kind: 'null_dereference' as const, message: 'NULL was dereferenced.' } } : {}),
  }));
  const passed = cases.filter((c) => c.status === 'pass').length;
  return { status: 'ok', passed, total: cases.length, cases, diagnostics: [], compilerOutput: '', timings: { compileMs: 1, runMs: 1 } };
}

export async function seedInterview(store: Store, exercise: Exercise, o: SeedInterview): Promise<void> {
  const t0 = o.startedAt;
  await store.createSession(
    session(o.id, t0 - MIN, {
      exerciseSlug: exercise.slug,
      candidateName: o.candidate,
      status: 'ended',
      startedAt: t0,
      deadline: t0 + 30 * MIN,
      endedAt: t0 + 25 * MIN,
      archivedAt: o.archived ? t0 + 40 * MIN : null,
    }),
    tokens(o.id),
    new Uint8Array([0]),
  );
  const mentor = `${o.id}-m`;
  await store.ensureParticipant({ id: mentor, sessionId: o.id, role: 'mentor', name: o.interviewer ?? 'Grace', firstSeen: t0 });
  const candidate = `${o.id}-c`;
  await store.ensureParticipant({ id: candidate, sessionId: o.id, role: 'candidate', name: o.candidate, firstSeen: t0 });
  const base = { sessionId: o.id, participantId: candidate, updateId: null, source: o.source };
  const compileError: GradeResult = {
    status: 'compile_error',
    passed: 0,
    total: exercise.cases.length,
    cases: [],
    diagnostics: [],
    compilerOutput: 'error',
    timings: { compileMs: 1, runMs: 0 },
  };
  await store.addRun({ ...base, id: `${o.id}-r1`, at: t0 + 5 * MIN, requestedAt: t0 + 5 * MIN, kind: 'manual', result: compileError });
  const firstVisible = exercise.cases.findIndex((c) => c.visible);
  await store.addRun({ ...base, id: `${o.id}-r2`, at: t0 + 9 * MIN, requestedAt: t0 + 9 * MIN, kind: 'manual', result: grade(exercise, [], firstVisible) });
  await store.addRun({ ...base, id: `${o.id}-r3`, at: t0 + 12 * MIN, requestedAt: t0 + 12 * MIN, kind: 'manual', result: grade(exercise, o.failing ?? [], null) });
  await store.addRun({
    ...base,
    id: `${o.id}-f`,
    participantId: null,
    at: t0 + 25 * MIN,
    requestedAt: t0 + 25 * MIN,
    kind: 'final',
    result: grade(exercise, o.failing ?? [], null),
  });
  for (let i = 0; i < (o.pastes ?? 0); i++) {
    await store.addEvent(o.id, { at: t0 + MIN + i, type: 'paste', participantId: candidate, data: { chars: 300, lines: 10, flagged: true } });
  }
  await store.addEvent(o.id, { at: t0 + 2 * MIN, type: 'focus_lost', participantId: candidate, data: { reason: 'blur' } });
  await store.addEvent(o.id, { at: t0 + 3 * MIN, type: 'focus_back', participantId: candidate, data: { awayMs: MIN } });
  if (o.overall !== undefined) {
    await store.setScorecard({
      sessionId: o.id,
      overall: o.overall,
      criteria: { correctness: o.overall, fluency: 3, debugging: null, communication: 2 },
      text: '',
      updatedAt: t0 + 30 * MIN,
      by: o.interviewer ?? 'Grace',
    });
  }
}
