// Practice hints: the exercise's hints (exercise.json) revealed one at a time while the student's
// clock runs. Each reveal is an event on the session's timeline, so the report and the replay show
// it, and the count of stored events is the one truth of how many were revealed.
import type { RevealedHint } from '../../../common/practice.ts';
import type { Result } from '../../../common/protocol.ts';
import type { Store, EventRecord } from '../store/types.ts';
import { fail, ok } from './errors.ts';
import type { Enter } from './guard.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';

export interface HintDeps {
  store: Store;
  clock: Clock;
  /** The service's guard (the deadline is settled first: no hint after the end). */
  enter: Enter;
}

/** The hints recorded in a session's events, in order. */
export function revealedHints(events: readonly Pick<EventRecord, 'type' | 'at' | 'data'>[]): RevealedHint[] {
  return events.filter((e) => e.type === 'hint').map((e) => ({ number: Number(e.data['number']), text: String(e.data['text'] ?? ''), at: e.at }));
}

export class Hints {
  /** Per session, the reveal in progress: two tabs asking at once get hint n and n + 1, not n twice. */
  private chains = new Map<string, Promise<unknown>>();

  constructor(private readonly d: HintDeps) {}

  reveal(who: Identity): Promise<Result<RevealedHint>> {
    const id = who.sessionId;
    const next = (this.chains.get(id) ?? Promise.resolve()).then(() => this.revealNext(who));
    const tail = next.catch(() => {});
    this.chains.set(id, tail);
    void tail.then(() => {
      if (this.chains.get(id) === tail) this.chains.delete(id);
    });
    return next;
  }

  private async revealNext(who: Identity): Promise<Result<RevealedHint>> {
    const { live, refusal } = this.d.enter(who, 'hint');
    if (refusal) return refusal;
    const hints = live.exercise.hints;
    if (hints.length === 0) return fail('not_found', 'This exercise has no hints.');
    const shown = revealedHints(await this.d.store.listEvents(live.record.id)).length;
    if (shown >= hints.length) return fail('conflict', `All ${hints.length} hints are already shown.`);
    const hint: RevealedHint = { number: shown + 1, text: hints[shown]!, at: this.d.clock.now() };
    await this.d.store.addEvent(live.record.id, { at: hint.at, type: 'hint', participantId: who.participant.id, data: { number: hint.number, text: hint.text } });
    return ok(hint);
  }
}
