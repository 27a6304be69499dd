// What the mentor does over HTTP: create sessions and list them with their capability links.
import crypto from 'node:crypto';
import type { CreateSessionRequest, SessionScore, SessionSummary } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import { SOURCE_BYTES, formatKiB, utf8Length } from '../../../common/source-limit.ts';
import type { Exercise, ExerciseCatalog } from '../exercises/types.ts';
import type { LogFn } from '../log.ts';
import type { RunRecord, SessionRecord, Store } from '../store/types.ts';
import { scratchStarter } from './console.ts';
import { starterUpdate } from './doc.ts';
import { ServiceError } from './errors.ts';
import { isPastDeadline, type Clock } from './timer.ts';
import { hashToken, newToken, participantId, seal, type Keys } from './tokens.ts';
import { cleanName, linksFor } from './views.ts';

export interface AdminDeps {
  store: Store;
  catalog: ExerciseCatalog;
  clock: Clock;
  keys: Keys;
  /** The in-memory record of a loaded session, fresher than the store's. */
  loadedRecord: (sessionId: string) => SessionRecord | undefined;
  log?: LogFn;
  /** Whether new sessions may use this exercise (false: its expected outputs could not be prepared); all when absent. */
  offered?: (slug: string) => boolean;
}

export class SessionAdmin {
  constructor(private readonly d: AdminDeps) {}

  /**
   * An interview, or (with `practice`) a student's attempt owned by their browser identity, whose
   * solution starts from `practice.code` (a "try again" from an earlier attempt) or the starter.
   */
  async create(req: CreateSessionRequest, practice?: { owner: string; code?: string }): Promise<SessionSummary> {
    const exercise = req.exercise === undefined ? this.d.catalog.defaultExercise : this.d.catalog.get(req.exercise);
    if (!exercise) throw new ServiceError('not_found', `No exercise '${req.exercise}'.`);
    this.mustBeOffered(exercise);
    const candidateName = cleanName(req.candidateName, LIMITS.candidateNameChars);
    if (candidateName === '') throw new ServiceError('bad_request', 'The candidate name is empty.');
    const now = this.d.clock.now();
    const record: SessionRecord = {
      id: crypto.randomBytes(9).toString('base64url'),
      mode: practice ? 'practice' : 'interview',
      owner: practice?.owner ?? null,
      exerciseSlug: exercise.slug,
      candidateName,
      status: 'waiting',
      createdAt: now,
      durationMs: (req.minutes ?? exercise.minutes) * 60_000,
      startedAt: null,
      deadline: null,
      endedAt: null,
      archivedAt: null,
    };
    // One token per role; the database keeps the hash and a sealed copy, never the token.
    const tokens = (['mentor', 'candidate', 'observer', 'review'] as const).map((role) => {
      const token = newToken();
      return { hash: hashToken(token), sessionId: record.id, role, sealed: seal(this.d.keys.linkKey, token) };
    });
    const code = practice?.code ?? exercise.starter;
    const scratch = scratchStarter(exercise);
    // The same bound as every edit: an earlier attempt's code with a fresh scratch file might not fit.
    if (utf8Length(code) + utf8Length(scratch) > SOURCE_BYTES)
      throw new ServiceError('too_large', `That code and the scratch file together are over the ${formatKiB(SOURCE_BYTES)} source limit; start from the starter instead.`);
    // The starter goes in exactly once, here, as the document's first update: clients only sync.
    await this.d.store.createSession(record, tokens, starterUpdate(code, scratch));
    // The candidate is in the presence list (offline) from the start.
    await this.d.store.ensureParticipant({ id: participantId(), sessionId: record.id, role: 'candidate', name: candidateName, firstSeen: now });
    this.d.log?.info?.('session created', { session: record.id, exercise: record.exerciseSlug, mode: record.mode, minutes: record.durationMs / 60_000 });
    return this.summary(record);
  }

  /** The exercises new interviews and practice attempts may use: all but those this server could not prepare. */
  offeredExercises(): Exercise[] {
    return this.d.catalog.list().filter((e) => this.d.offered?.(e.slug) !== false);
  }

  /** Refuses an exercise this server could not prepare: its runs could not be graded. */
  mustBeOffered(exercise: Exercise): void {
    if (this.d.offered?.(exercise.slug) === false) {
      throw new ServiceError('unavailable', `The exercise "${exercise.title}" is not available: its tests could not be prepared on this server. Choose another exercise.`);
    }
  }

  /**
   * Interviews (practice attempts are the students' own), newest first: not archived, archived or
   * both; `only`: those with these ids; `candidate` keeps those whose candidate name contains it (ignoring case and accents).
   */
  async list(filter: { archived?: boolean; candidate?: string; only?: ReadonlySet<string> } = {}): Promise<SessionSummary[]> {
    let records = await this.d.store.listSessions({ owner: null, archived: filter.archived });
    // A mentor's list: the interviews they own or that are shared with them.
    if (filter.only) records = records.filter((r) => filter.only!.has(r.id));
    const wanted = filter.candidate === undefined ? '' : foldForSearch(filter.candidate.trim());
    if (wanted !== '') records = records.filter((r) => foldForSearch(r.candidateName).includes(wanted));
    return Promise.all(records.map((r) => this.summary(this.d.loadedRecord(r.id) ?? r)));
  }

  /** A practice identity's attempts, newest first. */
  async listOwned(owner: string): Promise<SessionSummary[]> {
    const records = await this.d.store.listSessions({ owner });
    return Promise.all(records.map((r) => this.summary(this.d.loadedRecord(r.id) ?? r)));
  }

  /** A session mentors may see: not a student's practice attempt. */
  async get(id: string): Promise<SessionSummary | undefined> {
    const r = this.d.loadedRecord(id) ?? (await this.d.store.getSession(id));
    return r && r.owner === null ? this.summary(r) : undefined;
  }

  private async summary(r: SessionRecord): Promise<SessionSummary> {
    const now = this.d.clock.now();
    const expired = isPastDeadline(r, now);
    const ended = expired || r.status === 'ended';
    // The outcome columns of the dashboard: only an ended session has them.
    const [tokens, runs, card, origin] = await Promise.all([
      this.d.store.listTokens(r.id),
      ended ? this.d.store.listRuns(r.id) : Promise.resolve([]),
      ended ? this.d.store.getScorecard(r.id) : Promise.resolve(undefined),
      this.d.store.getImport(r.id),
    ]);
    return {
      id: r.id,
      exercise: { slug: r.exerciseSlug, title: this.d.catalog.get(r.exerciseSlug)?.title ?? r.exerciseSlug },
      candidateName: r.candidateName,
      status: expired ? 'ended' : r.status,
      createdAt: r.createdAt,
      durationMs: r.durationMs,
      startedAt: r.startedAt,
      deadline: r.deadline,
      endedAt: r.endedAt ?? (expired ? r.deadline : null),
      archivedAt: r.archivedAt,
      links: linksFor(tokens, this.d.keys.linkKey),
      score: scoreOf(runs.find((x) => x.kind === 'final')),
      scorecardOverall: card?.overall ?? null,
      imported: origin ? { importedAt: origin.importedAt, source: origin.source, exportedAt: origin.exportedAt } : null,
    };
  }
}

/** Visible and hidden cases passed in the final grading (mentors judge both). */
function scoreOf(final: RunRecord | undefined): SessionScore | null {
  if (!final) return null;
  const count = (visible: boolean) => {
    const cases = final.result.cases.filter((c) => c.visible === visible);
    return [cases.filter((c) => c.status === 'pass').length, cases.length] as const;
  };
  const [visiblePassed, visibleTotal] = count(true);
  const [hiddenPassed, hiddenTotal] = count(false);
  return { status: final.result.status, visiblePassed, visibleTotal, hiddenPassed, hiddenTotal };
}

/** Lower case without accents, so that "zoe" finds "Zoë". */
function foldForSearch(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
