// POST /api/import, off the event loop: the export is parsed and checked in a worker thread
// (import-worker.ts), the rows are built and written in slices (the store's importSession), so
// the server keeps answering during a 32 MiB import. One import at a time.
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { ExerciseCatalog } from '../exercises/types.ts';
import { inSlices } from '../slices.ts';
import { ServiceError } from '../sessions/errors.ts';
import { hashToken, newToken, participantId, seal, type Keys } from '../sessions/tokens.ts';
import type { SessionBundle, SessionRecord, Store, UpdateRecord } from '../store/types.ts';
import { unpackBytes, type CheckedExport } from './import.ts';
import type { ImportJob, ImportReply } from './import-worker.ts';

const BOOT = new URL('../ts-worker.mjs', import.meta.url);
const JOB = new URL('./import-worker.ts', import.meta.url).href;

export interface ImporterDeps {
  store: Store;
  catalog: ExerciseCatalog;
  keys: Keys;
  snapshotEvery: number;
}

/** How long the checking thread stays up after an import, ready for the next (starting one takes about a second). */
const WORKER_IDLE_MS = 60_000;

export class Importer {
  private running = false;
  private readonly checker = new CheckThread();

  constructor(private readonly d: ImporterDeps) {}

  /**
   * Checks and stores an export (`json`: the request body; `fileName`: what the mentor uploaded,
   * the source shown when the export does not name its server); the new session's id. The same
   * content imported again is refused with a 'conflict' that says when it came in.
   */
  async run(json: Uint8Array, now: number, fileName?: string): Promise<string> {
    // Each import takes a core for seconds: a second one waits for its turn at the client.
    if (this.running) throw new ServiceError('busy', 'Another import is being written; try again in a moment.');
    this.running = true;
    try {
      const checked = await this.checker.check({ json, installed: this.d.catalog.list().map((e) => e.slug), snapshotEvery: this.d.snapshotEvery });
      await this.refuseTwice(checked.contentHash);
      const bundle = await bundleOf(checked, this.d.keys, now, fileName);
      try {
        await this.d.store.importSession(bundle);
      } catch (err) {
        await this.refuseTwice(checked.contentHash); // another node imported it meanwhile (unique index)
        throw err;
      }
      return bundle.session.id;
    } finally {
      this.running = false;
    }
  }

  private async refuseTwice(hash: string): Promise<void> {
    const earlier = await this.d.store.findImport(hash);
    if (!earlier) return;
    const session = await this.d.store.getSession(earlier.sessionId);
    const what = session ? ` (${session.candidateName}, ${this.d.catalog.get(session.exerciseSlug)?.title ?? session.exerciseSlug})` : '';
    const when = new Date(earlier.importedAt).toISOString().slice(0, 16).replace('T', ' ');
    throw new ServiceError('conflict', `This export was already imported on ${when} UTC${what}: it is in the list as "imported". Nothing was added.`);
  }

  close(): void {
    this.checker.stop();
  }
}

/** The worker thread that checks exports (import-worker.ts), one job at a time, kept while in use. */
class CheckThread {
  private worker: Worker | null = null;
  private idle: NodeJS.Timeout | null = null;

  check(job: ImportJob): Promise<CheckedExport> {
    if (this.idle) clearTimeout(this.idle);
    const worker = (this.worker ??= this.start());
    return new Promise<CheckedExport>((resolve, reject) => {
      const done = () => {
        worker.off('message', onReply);
        worker.off('error', onFailure);
        worker.off('exit', onExit);
      };
      const onReply = (reply: ImportReply) => {
        done();
        if (reply.ok) resolve(reply.checked);
        else reject(new ServiceError(reply.code, reply.message));
      };
      const onFailure = (err: Error) => {
        done();
        if (this.worker === worker) this.worker = null;
        reject(err);
      };
      const onExit = (code: number) => onFailure(new Error(`the import worker stopped (exit code ${code})`));
      worker.on('message', onReply);
      worker.on('error', onFailure);
      worker.on('exit', onExit);
      // The body's own memory goes to the worker when it is exactly the body, else a copy (a small
      // body may sit in Node's shared Buffer pool, which must not move).
      const json = job.json.byteOffset === 0 && job.json.byteLength === job.json.buffer.byteLength ? job.json : new Uint8Array(job.json);
      worker.postMessage({ ...job, json }, [json.buffer as ArrayBuffer]);
    }).finally(() => {
      this.idle = setTimeout(() => this.stop(), WORKER_IDLE_MS);
      this.idle.unref();
    });
  }

  private start(): Worker {
    const worker = new Worker(BOOT, { workerData: { module: JOB } });
    worker.unref();
    // A failure is the job's in flight (its listeners below); between jobs nothing may throw.
    worker.on('error', () => {});
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  stop(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    void this.worker?.terminate();
    this.worker = null;
  }
}

/** The rows to write for a checked export: fresh ids, fresh links (sealed with this server's key). */
export async function bundleOf(c: CheckedExport, keys: Keys, now: number, fileName?: string): Promise<SessionBundle> {
  const s = c.doc.session;
  const session: SessionRecord = {
    id: crypto.randomBytes(9).toString('base64url'),
    mode: s.mode,
    owner: null, // an import belongs to the mentors of this server, whoever made it elsewhere
    exerciseSlug: s.exercise.slug,
    candidateName: s.candidateName,
    status: 'ended',
    createdAt: s.createdAt,
    durationMs: s.durationMs,
    startedAt: s.startedAt,
    deadline: s.deadline,
    endedAt: s.endedAt,
    archivedAt: null,
  };
  const sessionId = session.id;
  const tokens = (['mentor', 'candidate', 'observer', 'review'] as const).map((role) => {
    const token = newToken();
    return { hash: hashToken(token), sessionId, role, sealed: seal(keys.linkKey, token) };
  });
  const people = c.doc.participants.map((p) => ({ ...p, id: participantId(), sessionId }));
  const ids = new Map(c.doc.participants.map((p, i) => [p.id, people[i]!.id]));
  const map = (id: string | null) => (id === null ? null : ids.get(id)!);
  const u = c.updates;
  const updates: UpdateRecord[] = [];
  await inSlices(u.ids, (id, i) => {
    const by = u.by[i]!;
    updates.push({ id, sessionId, at: u.at[i]!, participantId: by < 0 ? null : people[by]!.id, bytes: unpackBytes(u.data, i) });
  });
  return {
    session,
    tokens,
    participants: people,
    updates,
    runs: c.doc.runs.map((r) => ({ ...r, id: crypto.randomUUID(), sessionId, participantId: map(r.participantId) })),
    events: c.doc.events.map((e) => ({ sessionId, at: e.at, type: e.type, participantId: map(e.participantId), data: e.data })),
    notes: c.doc.notes.map((n) => ({ id: crypto.randomUUID(), sessionId, at: n.at, participantId: map(n.participantId), text: n.text })),
    scorecard: c.doc.scorecard ? { sessionId, ...c.doc.scorecard, updatedAt: c.doc.scorecard.updatedAt || now } : null,
    snapshots: [...c.snapshots.afterIndex].map((index, k) => ({ sessionId, at: now, lastUpdateId: u.ids[index]!, bytes: unpackBytes(c.snapshots.data, k) })),
    origin: { sessionId, importedAt: now, source: c.doc.exportedFrom ?? fileName ?? 'a file', exportedAt: c.doc.exportedAt, contentHash: c.contentHash },
  };
}
