// Review of a finished session: what the replay and report pages load, "test this moment", the
// mentor's scorecard and the export. Access is by link token (review link, or the mentor's own);
// what each role may do comes from common/policy.ts.
import { denial, may, seesHidden, type Action, type PolicyRole } from '../../../common/policy.ts';
import { visibleGrade } from '../../../common/redact.ts';
import type { Scorecard, ReviewData, ReviewRun } from '../../../common/review.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../../common/review.ts';
import { toPublicExercise } from '../exercises/load.ts';
import type { Exercise, ExerciseCatalog } from '../exercises/types.ts';
import { storedTextAt } from '../history/stored.ts';
import { QueueFullError, type Runner } from '../runner/index.ts';
import { ServiceError } from '../sessions/errors.ts';
import { signalView } from '../sessions/signals.ts';
import { effectiveStatus, type Clock } from '../sessions/timer.ts';
import { hashToken, isTokenShape } from '../sessions/tokens.ts';
import { runView } from '../sessions/views.ts';
import type { ParticipantRecord, RunRecord, SessionRecord, Store } from '../store/types.ts';
import type { SessionExport } from './export-schema.ts';

export interface ReviewDeps {
  store: Store;
  catalog: ExerciseCatalog;
  runner: Runner;
  clock: Clock;
  /** The in-memory record of a loaded session, fresher than the store's. */
  loadedRecord: (sessionId: string) => SessionRecord | undefined;
}

/** A review request that passed the token and policy checks. */
export interface ReviewAccess {
  record: SessionRecord;
  role: PolicyRole;
  exercise: Exercise;
}

const bytesToBase64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

export class ReviewService {
  /** Sessions with a "test this moment" in flight: one at a time each. */
  private testing = new Set<string>();

  constructor(private readonly d: ReviewDeps) {}

  /** Resolves a link token and checks that its role may do `action` in the session as it is now. */
  async access(token: unknown, action: Action): Promise<ReviewAccess> {
    if (!isTokenShape(token)) throw new ServiceError('unauthorized', 'This review link is not valid.');
    const t = await this.d.store.findToken(hashToken(token));
    if (!t) throw new ServiceError('unauthorized', 'This review link is not valid.');
    const stored = await this.d.store.getSession(t.sessionId);
    if (!stored) throw new ServiceError('not_found', 'No such session.');
    const fresh = this.d.loadedRecord(t.sessionId) ?? stored;
    const record = { ...fresh, status: effectiveStatus(fresh, this.d.clock.now()) };
    const no = denial(record.mode, t.role, record.status, action);
    if (no) {
      const message = no.code === 'forbidden' ? 'This link does not open the review; ask the interviewer for the review link.' : 'The review opens when the session has ended.';
      throw new ServiceError(no.code === 'forbidden' ? 'forbidden' : 'conflict', message);
    }
    const exercise = this.d.catalog.get(record.exerciseSlug);
    if (!exercise) throw new ServiceError('not_found', `The exercise '${record.exerciseSlug}' is not installed on this server.`);
    return { record, role: t.role, exercise };
  }

  /** Everything recorded in a session. */
  private async recorded(id: string) {
    const [participants, updates, runs, events, notes, scorecard] = await Promise.all([
      this.d.store.listParticipants(id),
      this.d.store.listUpdates(id),
      this.d.store.listRuns(id),
      this.d.store.listEvents(id),
      this.d.store.listNotes(id),
      this.d.store.getScorecard(id),
    ]);
    return { participants, updates, runs, events, notes, scorecard };
  }

  async data(a: ReviewAccess): Promise<ReviewData> {
    const id = a.record.id;
    const { participants, updates, runs, events, notes, scorecard } = await this.recorded(id);
    const origin = await this.d.store.getImport(id);
    const names = new Map(participants.map((p) => [p.id, p.name]));
    return {
      session: {
        id,
        mode: a.record.mode,
        candidateName: a.record.candidateName,
        status: a.record.status,
        createdAt: a.record.createdAt,
        durationMs: a.record.durationMs,
        startedAt: a.record.startedAt,
        deadline: a.record.deadline,
        endedAt: a.record.endedAt,
        imported: origin ? { importedAt: origin.importedAt, source: origin.source, exportedAt: origin.exportedAt } : null,
      },
      role: a.role,
      exercise: toPublicExercise(a.exercise),
      participants: participants.map((p) => ({ id: p.id, name: p.name, role: p.role })),
      updates: updates.map((u) => ({ id: u.id, at: u.at, by: u.participantId, bytes: bytesToBase64(u.bytes) })),
      // What the program produced on hidden cases only for a role with 'see:hidden': a student's
      // replay and report are the student's view, as in their room.
      runs: runs.map((r) => reviewRun(a, r, nameOf(names, r.participantId))),
      events: events.map(signalView),
      notes: notes.map((n) => ({ id: n.id, at: n.at, text: n.text })),
      scorecard: scorecard ? stripSession(scorecard) : null,
      canScore: may(a.record.mode, a.role, a.record.status, 'scorecard'),
    };
  }

  /** Grades the code as it stood after update `updateId`; the result is shown, not stored. */
  async testMoment(a: ReviewAccess, updateId: number): Promise<ReviewRun> {
    const id = a.record.id;
    if (this.testing.has(id)) throw new ServiceError('conflict', 'A test of this session is already running.');
    if (this.d.runner.isFull()) throw new ServiceError('busy', 'The server is busy running code; try again in a moment.');
    this.testing.add(id);
    try {
      const last = await this.d.store.lastUpdateId(id);
      const at = Math.min(updateId, last);
      const source = await storedTextAt(this.d.store, id, at);
      // Below live interviews in the queue; one test at a time per session already (`testing`).
      const result = await this.d.runner.grade(a.exercise, source, { jobClass: 'other', owner: `session:${id}` });
      const now = this.d.clock.now();
      const record: RunRecord = { id: `moment-${at}`, sessionId: id, at: now, requestedAt: now, kind: 'manual', participantId: null, updateId: at, source, result };
      return reviewRun(a, record, 'Review');
    } catch (err) {
      if (err instanceof QueueFullError) throw new ServiceError('busy', 'The server is busy running code; try again in a moment.');
      throw err;
    } finally {
      this.testing.delete(id);
    }
  }

  async saveScorecard(a: ReviewAccess, card: Omit<Scorecard, 'updatedAt' | 'by'>): Promise<Scorecard> {
    const saved: Scorecard = { ...card, updatedAt: this.d.clock.now(), by: 'Interviewer' };
    await this.d.store.setScorecard({ sessionId: a.record.id, ...saved });
    return saved;
  }

  /** The whole session as one versioned JSON document; `from`: this server's address, the import's source elsewhere. */
  async exportSession(a: ReviewAccess, from?: string): Promise<SessionExport> {
    const { participants, updates, runs, events, notes, scorecard } = await this.recorded(a.record.id);
    const r = a.record;
    const sees = seesHidden(r.mode, a.role);
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: this.d.clock.now(),
      ...(from ? { exportedFrom: from.slice(0, 300) } : {}),
      session: {
        mode: r.mode,
        exercise: { slug: a.exercise.slug, title: a.exercise.title },
        candidateName: r.candidateName,
        status: 'ended',
        createdAt: r.createdAt,
        durationMs: r.durationMs,
        startedAt: r.startedAt,
        deadline: r.deadline,
        endedAt: r.endedAt ?? r.deadline ?? this.d.clock.now(),
      },
      participants: participants.map((p: ParticipantRecord) => ({ id: p.id, role: p.role, name: p.name, firstSeen: p.firstSeen })),
      updates: updates.map((u) => ({ id: u.id, at: u.at, participantId: u.participantId, bytes: bytesToBase64(u.bytes) })),
      runs: runs.map((x) => ({
        id: x.id,
        at: x.at,
        requestedAt: x.requestedAt,
        kind: x.kind,
        participantId: x.participantId,
        updateId: x.updateId,
        source: x.source,
        result: visibleGrade(x.result, sees),
      })),
      events: events.map((e) => ({ at: e.at, type: e.type, participantId: e.participantId ?? null, data: e.data as SessionExport['events'][number]['data'] })),
      notes: notes.map((n) => ({ id: n.id, at: n.at, participantId: n.participantId, text: n.text })),
      scorecard: scorecard ? stripSession(scorecard) : null,
    };
  }
}

function reviewRun(a: ReviewAccess, r: RunRecord, requestedBy: string): ReviewRun {
  return { ...runView(r, a.role, requestedBy, a.record.mode), requestedAt: r.requestedAt, updateId: r.updateId };
}

function nameOf(names: Map<string, string>, id: string | null): string {
  return id === null ? 'Server' : (names.get(id) ?? 'Someone');
}

function stripSession<T extends { sessionId: string }>(x: T): Omit<T, 'sessionId'> {
  const { sessionId: _omit, ...rest } = x;
  return rest;
}
