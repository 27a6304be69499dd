// The comparison board: one row per interview of an exercise, read from the store, and the similar
// pairs of ended ones from the stored fingerprints (computed and stored here for sessions that have
// none, such as imports). Mentor only; what it shows follows common/policy.ts.
import type { BoardComparison, BoardData, BoardRow, BoardStatus, SimilarPair } from '../../../common/board.ts';
import { may, seesHidden } from '../../../common/policy.ts';
import { CRITERIA, type Criterion } from '../../../common/review.ts';
import type { ExerciseCatalog } from '../exercises/types.ts';
import { compare, score, SIMILARITY_THRESHOLD, type Fingerprint } from '../similarity/index.ts';
import { fingerprintFor } from '../similarity/record.ts';
import { ServiceError } from '../sessions/errors.ts';
import { isPastDeadline, type Clock } from '../sessions/timer.ts';
import type { RunRecord, SessionRecord, Store } from '../store/types.ts';

export interface BoardDeps {
  store: Store;
  catalog: ExerciseCatalog;
  clock: Clock;
}

/** The board is the interviewer's: the mentor key holds the mentor role. */
const ROLE = 'mentor' as const;

export class BoardService {
  constructor(private readonly d: BoardDeps) {}

  async board(slug: string): Promise<BoardData> {
    const exercise = this.d.catalog.get(slug);
    if (!exercise) throw new ServiceError('not_found', `No exercise '${slug}'.`);
    const sessions = await this.visible(slug);
    const rows = await Promise.all(sessions.map((s) => this.row(s)));
    const prints = await this.fingerprints(
      slug,
      sessions.filter((s) => this.isEnded(s)),
    );
    const sets = [...prints].map(([id, p]) => [id, new Set(p.map((f) => f.hash))] as const);
    const similar: SimilarPair[] = [];
    for (let i = 0; i < sets.length; i++) {
      for (let j = i + 1; j < sets.length; j++) {
        const s = score(sets[i]![1], sets[j]![1]);
        if (s >= SIMILARITY_THRESHOLD) similar.push({ a: sets[i]![0], b: sets[j]![0], score: s });
      }
    }
    similar.sort((x, y) => y.score - x.score);
    const interviewers = [...new Set(rows.flatMap((r) => r.interviewers))].sort((a, b) => a.localeCompare(b));
    return { exercise: { slug, title: exercise.title }, threshold: SIMILARITY_THRESHOLD, rows, similar, interviewers };
  }

  /** Two ended interviews of one exercise side by side: rows, final code and matching regions. */
  async compare(aId: string, bId: string): Promise<BoardComparison> {
    const [a, b] = await Promise.all([this.endedSession(aId), this.endedSession(bId)]);
    if (a.exerciseSlug !== b.exerciseSlug) throw new ServiceError('bad_request', 'The two interviews are of different exercises.');
    const exercise = this.d.catalog.get(a.exerciseSlug);
    if (!exercise) throw new ServiceError('not_found', `No exercise '${a.exerciseSlug}'.`);
    const sources = await Promise.all([a, b].map(async (s) => finalRun(await this.d.store.listRuns(s.id))?.source ?? ''));
    const [pa, pb] = await Promise.all(sources.map((src) => fingerprintFor(exercise, src)));
    const result = compare(pa!, pb!);
    return {
      a: { row: await this.row(a), source: sources[0]! },
      b: { row: await this.row(b), source: sources[1]! },
      score: result.score,
      regions: result.regions,
    };
  }

  private async endedSession(id: string): Promise<SessionRecord> {
    const s = await this.d.store.getSession(id);
    if (!s || s.owner !== null || s.mode !== 'interview' || !this.isEnded(s)) throw new ServiceError('not_found', 'No such ended interview.');
    return s;
  }

  /** The session's status with a passed deadline counted as ended (the timer may not have fired yet). */
  private statusOf(s: SessionRecord) {
    return isPastDeadline(s, this.d.clock.now()) ? 'ended' : s.status;
  }

  /** Compared and fingerprinted: what a mentor may review, ended interviews (common/policy.ts). */
  private isEnded(s: SessionRecord): boolean {
    return may('interview', ROLE, this.statusOf(s), 'review');
  }

  /** On the board: every interview of the exercise the mentor may look at, in any state. */
  private async visible(slug: string): Promise<SessionRecord[]> {
    const all = await this.d.store.listSessions({ owner: null, mode: 'interview' });
    return all.filter((s) => s.exerciseSlug === slug && may('interview', ROLE, this.statusOf(s), 'doc:read'));
  }

  /** Stored fingerprints by session; a session with none (an import, a damaged row) gets them now. */
  private async fingerprints(slug: string, sessions: SessionRecord[]): Promise<Map<string, Fingerprint[]>> {
    const stored = new Map((await this.d.store.listFingerprints(slug)).map((f) => [f.sessionId, f.prints] as const));
    const exercise = this.d.catalog.get(slug)!;
    const out = new Map<string, Fingerprint[]>();
    for (const s of sessions) {
      let prints = stored.get(s.id);
      if (!prints) {
        const final = finalRun(await this.d.store.listRuns(s.id));
        if (final?.source == null) continue;
        prints = await fingerprintFor(exercise, final.source);
        await this.d.store.putFingerprints({ sessionId: s.id, slug, prints, createdAt: this.d.clock.now() });
      }
      out.set(s.id, prints);
    }
    return out;
  }

  private async row(s: SessionRecord): Promise<BoardRow> {
    const [runs, events, participants, card] = await Promise.all([
      this.d.store.listRuns(s.id),
      this.d.store.listEvents(s.id),
      this.d.store.listParticipants(s.id),
      this.d.store.getScorecard(s.id),
    ]);
    const final = finalRun(runs);
    const hidden = seesHidden('interview', ROLE);
    const count = (visible: boolean, passedOnly: boolean) => final?.result.cases.filter((c) => c.visible === visible && (!passedOnly || c.status === 'pass')).length ?? null;
    const start = s.startedAt;
    const end = s.endedAt ?? (isPastDeadline(s, this.d.clock.now()) ? s.deadline : null);
    const status: BoardStatus = s.archivedAt !== null ? 'archived' : this.statusOf(s);
    const firstPass = runs.find((r) => r.result.status === 'ok' && r.result.cases.some((c) => c.visible) && r.result.cases.every((c) => !c.visible || c.status === 'pass'));
    const criteria = Object.fromEntries(CRITERIA.map((c) => [c, card?.criteria[c] ?? null])) as Record<Criterion, number | null>;
    return {
      sessionId: s.id,
      candidate: s.candidateName,
      date: start ?? s.createdAt,
      interviewers: [...new Set(participants.filter((p) => p.role === 'mentor').map((p) => p.name))],
      status,
      ended: this.isEnded(s),
      visiblePassed: count(true, true),
      visibleTotal: count(true, false),
      hiddenPassed: hidden ? count(false, true) : null,
      hiddenTotal: hidden ? count(false, false) : null,
      firstVisiblePassMs: firstPass && start !== null ? Math.max(0, firstPass.requestedAt - start) : null,
      timeUsedMs: start !== null && end !== null ? Math.max(0, end - start) : null,
      runs: runs.filter((r) => r.kind === 'manual').length,
      compileErrors: runs.filter((r) => r.result.status === 'compile_error').length,
      faults: runs.reduce((n, r) => n + r.result.cases.filter((c) => c.fault !== undefined).length, 0),
      pastes: events.filter((e) => e.type === 'paste').length,
      flaggedPastes: events.filter((e) => e.type === 'paste' && (e.data as { flagged?: unknown }).flagged === true).length,
      focusLost: events.filter((e) => e.type === 'focus_lost').length,
      awayMs: events.reduce((ms, e) => ms + (e.type === 'focus_back' ? Number((e.data as { awayMs?: unknown }).awayMs) || 0 : 0), 0),
      overall: card?.overall ?? null,
      criteria,
    };
  }
}

function finalRun(runs: RunRecord[]): RunRecord | undefined {
  return runs.find((r) => r.kind === 'final');
}
