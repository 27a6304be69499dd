// Students practising alone: an anonymous identity per browser (the hash of an HttpOnly cookie),
// the catalogue with each student's best score, an exercise to read before starting, attempts
// (practice-mode sessions on the same service, store and timer as interviews), what to learn from
// a submitted one, and the bounds that keep an open door from being abused.
import { denial } from '../../../common/policy.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { PracticeAttempt, PracticeExercise, PracticeExerciseDetail, PracticeLearn, StartAttemptRequest } from '../../../common/practice.ts';
import { toPublicExercise } from '../exercises/load.ts';
import type { Exercise, ExerciseCatalog } from '../exercises/types.ts';
import { storedTextAt } from '../history/stored.ts';
import type { SessionAdmin } from '../sessions/admin.ts';
import { ServiceError } from '../sessions/errors.ts';
import type { SessionService } from '../sessions/service.ts';
import { effectiveStatus, type Clock } from '../sessions/timer.ts';
import type { RunRecord, SessionRecord, Store } from '../store/types.ts';

export interface PracticeDeps {
  store: Store;
  catalog: ExerciseCatalog;
  admin: SessionAdmin;
  sessions: SessionService;
  clock: Clock;
  log: (msg: string, err?: unknown) => void;
}

const HOUR = 3_600_000;
/** How a student is named in their own room and replay. */
const STUDENT_NAME = 'Student';

function score(runs: RunRecord[]): { passed: number; total: number } | null {
  const final = runs.find((r) => r.kind === 'final');
  if (!final) return null;
  return { passed: final.result.status === 'ok' ? final.result.passed : 0, total: final.result.total };
}

export class PracticeService {
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly d: PracticeDeps) {}

  /** Every exercise on offer, with this student's best final score on it. */
  async catalogue(owner: string): Promise<PracticeExercise[]> {
    const attempts = await this.attempts(owner);
    return this.d.admin.offeredExercises().map((e) => {
      const mine = attempts.filter((a) => a.exercise.slug === e.slug && a.score !== null);
      const best = mine.reduce<PracticeAttempt['score']>((b, a) => (a.score && (!b || a.score.passed / a.score.total > b.passed / b.total) ? a.score : b), null);
      return { slug: e.slug, title: e.title, summary: e.summary, difficulty: e.difficulty, minutes: e.minutes, tags: e.tags, best, attempts: mine.length };
    });
  }

  async attempts(owner: string): Promise<PracticeAttempt[]> {
    const sessions = await this.d.admin.listOwned(owner);
    return Promise.all(
      sessions.map(async (s) => ({
        id: s.id,
        exercise: s.exercise,
        status: s.status,
        createdAt: s.createdAt,
        startedAt: s.startedAt,
        endedAt: s.endedAt,
        durationMs: s.durationMs,
        score: score(await this.d.store.listRuns(s.id)),
        // The student's link opens both the room and, once submitted, the replay of the attempt.
        link: s.links.candidate,
        replay: s.links.candidate.replace(/^\/s\//, '/r/'),
      })),
    );
  }

  /** An exercise to read before starting (statement and headers), with this student's attempts at it. */
  async exercise(owner: string, slug: string): Promise<PracticeExerciseDetail> {
    const exercise = this.mustExercise(slug);
    // Not in the catalogue, so not to be read either: it could not be started.
    this.d.admin.mustBeOffered(exercise);
    return { exercise: toPublicExercise(exercise), attempts: await this.history(owner, slug) };
  }

  /**
   * A new attempt; with `start`, its clock starts at once (the exercise page's Start: reading is
   * free, the attempt begins when the student says so); with `from`, its code is that submitted
   * attempt's final code ("try again"), else the starter.
   */
  async start(owner: string, req: StartAttemptRequest): Promise<PracticeAttempt> {
    const slug = req.exercise;
    // Before anything is counted: a refused start does not use up the student's attempts.
    this.d.admin.mustBeOffered(this.mustExercise(slug));
    let code: string | undefined;
    if (req.from !== undefined) {
      const from = await this.owned(owner, req.from);
      if (from.exerciseSlug !== slug) throw new ServiceError('bad_request', 'That attempt is at another exercise: try again from one of this exercise.');
      if (from.status !== 'ended') throw new ServiceError('conflict', 'Submit that attempt before starting again from its code.');
      code = await this.finalCode(from.id);
    }
    const now = this.d.clock.now();
    const open = (await this.d.store.listSessions({ owner })).filter((s) => s.status !== 'ended' && !(s.deadline !== null && s.deadline <= now));
    if (open.length >= LIMITS.practiceOpenAttempts) {
      throw new ServiceError('conflict', `You already have ${open.length} unfinished attempts; submit or delete one in "My attempts" first.`);
    }
    if ((await this.d.store.countPracticeStarts(owner, now - HOUR)) >= LIMITS.practiceStartsPerHour) {
      throw new ServiceError('rate_limited', `At most ${LIMITS.practiceStartsPerHour} attempts an hour; try again later.`);
    }
    await this.d.store.addPracticeStart(owner, now);
    const s = await this.d.admin.create({ exercise: slug, candidateName: STUDENT_NAME }, code === undefined ? { owner } : { owner, code });
    if (req.start) {
      const started = await this.d.sessions.startById(s.id, 'candidate');
      if (!started.ok) throw new ServiceError(started.error.code, started.error.message);
    }
    const attempt = (await this.attempts(owner)).find((a) => a.id === s.id);
    if (!attempt) throw new Error('the new attempt is missing');
    return attempt;
  }

  /**
   * What a submitted attempt teaches: what each case tests (never its input), the code beside the
   * previous submitted attempt's, and the history of this exercise. The student's own attempts only.
   */
  async learn(owner: string, id: string): Promise<PracticeLearn> {
    const record = await this.owned(owner, id);
    const no = denial(record.mode, 'candidate', record.status, 'learn');
    if (no) throw new ServiceError(no.code === 'forbidden' ? 'forbidden' : 'conflict', 'Submit the attempt first: what each test checks is shown once it is graded.');
    const exercise = this.mustExercise(record.exerciseSlug);
    const history = await this.history(owner, record.exerciseSlug);
    const attempt = history.find((a) => a.id === id);
    if (!attempt) throw new ServiceError('not_found', 'No such attempt.');
    const before = history.filter((a) => a.createdAt < attempt.createdAt || (a.createdAt === attempt.createdAt && a.id < attempt.id));
    const previous = before.filter((a) => a.status === 'ended').at(-1) ?? null;
    return {
      attempt,
      lessons: exercise.cases.flatMap((c) => (c.explain ? [{ name: c.name, visible: c.visible, explain: c.explain }] : [])),
      code: await this.finalCode(id),
      previous: previous ? { attempt: previous, code: await this.finalCode(previous.id) } : null,
      history,
    };
  }

  /** Deletes one of this student's attempts with everything recorded in it. */
  async remove(owner: string, id: string): Promise<void> {
    const s = await this.d.store.getSession(id);
    // Someone else's attempt is answered exactly like a missing one.
    if (!s || s.owner !== owner) throw new ServiceError('not_found', 'No such attempt.');
    this.d.sessions.forget(id);
    await this.d.store.deleteSession(id);
  }

  /** This student's attempts at one exercise, oldest first. */
  private async history(owner: string, slug: string): Promise<PracticeAttempt[]> {
    return (await this.attempts(owner)).filter((a) => a.exercise.slug === slug).reverse();
  }

  /** The student's own attempt with its status as of now; anyone else's is answered like a missing one. */
  private async owned(owner: string, id: string): Promise<SessionRecord> {
    const stored = await this.d.store.getSession(id);
    if (!stored || stored.owner !== owner) throw new ServiceError('not_found', 'No such attempt.');
    const fresh = this.d.sessions.loadedRecord(id) ?? stored;
    return { ...fresh, status: effectiveStatus(fresh, this.d.clock.now()) };
  }

  private mustExercise(slug: string): Exercise {
    const exercise = this.d.catalog.get(slug);
    if (!exercise) throw new ServiceError('not_found', `No exercise '${slug}'.`);
    return exercise;
  }

  /** The attempt's solution as stored (every accepted edit is stored before it counts). */
  private finalCode(id: string): Promise<string> {
    return storedTextAt(this.d.store, id, Number.MAX_SAFE_INTEGER);
  }

  /** Removes attempts that were never started after LIMITS.practiceAbandonHours. */
  async sweep(): Promise<number> {
    const before = this.d.clock.now() - LIMITS.practiceAbandonHours * HOUR;
    const stale = await this.d.store.listSessions({ mode: 'practice', status: 'waiting', createdBefore: before });
    for (const s of stale) {
      this.d.sessions.forget(s.id);
      await this.d.store.deleteSession(s.id);
    }
    return stale.length;
  }

  startSweeping(everyMs = HOUR): void {
    const run = () => void this.sweep().catch((err) => this.d.log('practice sweep failed', err));
    run();
    this.sweeper = setInterval(run, everyMs);
    this.sweeper.unref();
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
