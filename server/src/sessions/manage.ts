// What the mentor does to a whole interview from the dashboard: end it, archive it, delete it.
// Practice attempts are not the mentor's: they are answered like sessions that do not exist.
import type { SessionSummary } from '../../../common/protocol.ts';
import type { LogFn } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { SessionAdmin } from './admin.ts';
import { ServiceError } from './errors.ts';
import type { SessionService } from './service.ts';
import type { Clock } from './timer.ts';

export interface ManageDeps {
  store: Store;
  admin: SessionAdmin;
  sessions: SessionService;
  clock: Clock;
  log?: LogFn;
}

export class SessionManager {
  constructor(private readonly d: ManageDeps) {}

  /** Ends the interview now, as "End now" in the room does: the final code is graded once. */
  async end(id: string): Promise<SessionSummary> {
    const s = await this.interview(id);
    if (s.status === 'ended') throw new ServiceError('session_ended', 'This interview has already ended.');
    const ended = await this.d.sessions.endById(id);
    if (!ended.ok) throw new ServiceError(ended.error.code, ended.error.code === 'session_ended' ? 'This interview has already ended.' : ended.error.message);
    return this.interview(id);
  }

  /** Hides the interview from the default list (or shows it again); its links keep working. */
  async archive(id: string, archived: boolean): Promise<SessionSummary> {
    const s = await this.interview(id);
    if (archived && s.status === 'live') throw new ServiceError('conflict', 'This interview is in progress; end it before archiving it.');
    const at = archived ? this.d.clock.now() : null;
    await this.d.store.setArchived(id, at);
    // A loaded session's record is the one summaries read: keep it in step with the store.
    const loaded = this.d.sessions.loadedRecord(id);
    if (loaded) loaded.archivedAt = at;
    this.d.log?.info?.(archived ? 'session archived' : 'session unarchived', { session: id });
    return this.interview(id);
  }

  /** Removes the interview and everything recorded in it; its links stop working and its room closes. */
  async remove(id: string): Promise<SessionSummary> {
    const s = await this.interview(id);
    // A result stored after the rows are gone would fail half-way: let the run finish first.
    if (this.d.sessions.runs.isBusy(id)) {
      throw new ServiceError('conflict', 'A run or the final grading of this interview is in progress; delete it once that has finished (a few seconds).');
    }
    // Rows first: from here on its tokens are unknown, so nobody can reconnect and load it again.
    await this.d.store.deleteSession(id);
    await this.d.store.accounts.forgetSession(id);
    this.d.sessions.forget(id); // disconnects everyone still in the room, drops it from memory
    this.d.log?.info?.('session deleted', { session: id, exercise: s.exercise.slug, status: s.status });
    return s;
  }

  private async interview(id: string): Promise<SessionSummary> {
    const s = await this.d.admin.get(id);
    if (!s) throw new ServiceError('not_found', 'No such session.');
    return s;
  }
}
