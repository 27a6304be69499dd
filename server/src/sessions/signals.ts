// Integrity signals: what the candidate's page reports about itself (pastes into the editor, the
// page losing and regaining focus). The server stamps them with its own clock and measures how
// long the page was away; reports are bounded per session so a page cannot fill the database.
import type { Result } from '../../../common/protocol.ts';
import { PASTE_FLAG_CHARS, type SignalReport, type TimelineEvent } from '../../../common/review.ts';
import type { EventRecord, Store } from '../store/types.ts';
import type { Emit } from './bus.ts';
import { fail, ok } from './errors.ts';
import type { Enter } from './guard.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';

/** More than anyone produces in an interview (a focus change every 3 s for 3 hours). */
export const MAX_SIGNALS_PER_SESSION = 4_000;

export const SIGNAL_TYPES: ReadonlySet<TimelineEvent['type']> = new Set(['paste', 'focus_lost', 'focus_back']);

export class Signals {
  private counts = new Map<string, number>();
  /** `${session}/${participant}` -> when the page went away, by the server's clock. */
  private awaySince = new Map<string, number>();

  constructor(private readonly d: { store: Store; clock: Clock; enter: Enter; emit: Emit }) {}

  /** Records what the candidate's page reports about itself (pastes, focus); mentors see it live. */
  async report(who: Identity, report: SignalReport): Promise<Result<null>> {
    const { live, refusal } = this.d.enter(who, 'signal');
    if (refusal) return refusal;
    const event = this.accept(live.record.id, who.participant.id, report, this.d.clock.now());
    if (!event.ok) return event;
    if (event.value === null) return ok(null); // a repeat (e.g. 'lost' twice): nothing new
    await this.d.store.addEvent(live.record.id, event.value);
    this.d.emit('signal', live.record.id, signalView(event.value));
    return ok(null);
  }

  /** The event to record, null when the report changes nothing (already away / already back). */
  private accept(sessionId: string, participantId: string, report: SignalReport, now: number): Result<Omit<EventRecord, 'id' | 'sessionId'> | null> {
    const count = this.counts.get(sessionId) ?? 0;
    if (count >= MAX_SIGNALS_PER_SESSION) return fail('too_large', 'This session has recorded as many signals as it may.');
    const key = `${sessionId}/${participantId}`;
    let event: Omit<EventRecord, 'id' | 'sessionId'> | null = null;
    if (report.kind === 'paste') {
      event = { at: now, type: 'paste', participantId, data: { chars: report.chars, lines: report.lines, flagged: report.chars > PASTE_FLAG_CHARS } };
    } else if (report.state === 'lost') {
      if (!this.awaySince.has(key)) {
        this.awaySince.set(key, now);
        event = { at: now, type: 'focus_lost', participantId, data: { reason: report.reason } };
      }
    } else {
      const since = this.awaySince.get(key);
      if (since !== undefined) {
        this.awaySince.delete(key);
        event = { at: now, type: 'focus_back', participantId, data: { awayMs: Math.max(0, now - since) } };
      }
    }
    if (event) this.counts.set(sessionId, count + 1);
    return ok(event);
  }

  /** The session left memory: forget its counters (the stored events remain). */
  forget(sessionId: string): void {
    this.counts.delete(sessionId);
    for (const key of this.awaySince.keys()) if (key.startsWith(`${sessionId}/`)) this.awaySince.delete(key);
  }
}

export function signalView(e: Pick<EventRecord, 'at' | 'type' | 'participantId' | 'data'>): TimelineEvent {
  const view: TimelineEvent = { at: e.at, type: e.type, data: { ...e.data } };
  if (e.participantId) view.participantId = e.participantId;
  return view;
}
