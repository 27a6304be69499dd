// Students practising alone: an anonymous identity per browser (the hash of an HttpOnly cookie),
// the catalogue with each student's best score, attempts (practice-mode sessions on the same
// service, store and timer as interviews), and the bounds that keep an open door from being abused.
import { LIMITS } from '../../../common/protocol.ts';
import type { PracticeAttempt, PracticeExercise } from '../../../common/practice.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import type { SessionAdmin } from '../sessions/admin.ts';
import { ServiceError } from '../sessions/errors.ts';
import type { SessionService } from '../sessions/service.ts';
import type { Clock } from '../sessions/timer.ts';
import type { RunRecord, Store } from '../store/types.ts';

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

  async start(owner: string, slug: string): Promise<PracticeAttempt> {
    const exercise = this.d.catalog.get(slug);
    if (!exercise) throw new ServiceError('not_found', `No exercise '${slug}'.`);
    // Before anything is counted: a refused start does not use up the student's attempts.
    this.d.admin.mustBeOffered(exercise);
    const now = this.d.clock.now();
    const open = (await this.d.store.listSessions({ owner })).filter((s) => s.status !== 'ended' && !(s.deadline !== null && s.deadline <= now));
    if (open.length >= LIMITS.practiceOpenAttempts) {
      throw new ServiceError('conflict', `You already have ${open.length} unfinished attempts; submit or delete one in "My attempts" first.`);
    }
    if ((await this.d.store.countPracticeStarts(owner, now - HOUR)) >= LIMITS.practiceStartsPerHour) {
      throw new ServiceError('rate_limited', `At most ${LIMITS.practiceStartsPerHour} attempts an hour; try again later.`);
    }
    await this.d.store.addPracticeStart(owner, now);
    const s = await this.d.admin.create({ exercise: slug, candidateName: STUDENT_NAME }, { owner });
    const attempt = (await this.attempts(owner)).find((a) => a.id === s.id);
    if (!attempt) throw new Error('the new attempt is missing');
    return attempt;
  }

  /** Deletes one of this student's attempts with everything recorded in it. */
  async remove(owner: string, id: string): Promise<void> {
    const s = await this.d.store.getSession(id);
    // Someone else's attempt is answered exactly like a missing one.
    if (!s || s.owner !== owner) throw new ServiceError('not_found', 'No such attempt.');
    this.d.sessions.forget(id);
    await this.d.store.deleteSession(id);
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
