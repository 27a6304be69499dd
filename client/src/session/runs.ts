// Which runs (test runs or console runs) are in flight in the room, and what their Run button
// should say. Pure values: the room's reducer (room/state.ts) keeps one per kind of run. Results
// can overtake acks and 'run:queued' events, so finished runs are remembered and never come back
// as pending.
import type { RunQueued } from '../../../common/protocol.ts';

export interface InFlight {
  /** True while our own request waits for its ack. */
  readonly requesting: boolean;
  /** runId -> queue position, 0 = running. */
  readonly pending: Readonly<Record<string, number>>;
  readonly done: readonly string[];
  /** Our own accepted run, until its result. */
  readonly mine: string | null;
}

export const noRuns: InFlight = { requesting: false, pending: {}, done: [], mine: null };

export function queued(t: InFlight, q: RunQueued): InFlight {
  return t.done.includes(q.runId) ? t : { ...t, pending: { ...t.pending, [q.runId]: q.position } };
}

/** Our own request was accepted. */
export function accepted(t: InFlight, q: RunQueued): InFlight {
  return queued({ ...t, requesting: false, mine: q.runId }, q);
}

export function requesting(t: InFlight, value: boolean): InFlight {
  return t.requesting === value ? t : { ...t, requesting: value };
}

export function finished(t: InFlight, runId: string): InFlight {
  const { [runId]: _gone, ...pending } = t.pending;
  return { ...t, pending, done: t.done.includes(runId) ? t.done : [...t.done, runId], mine: t.mine === runId ? null : t.mine };
}

/** After a reconnection: in-flight runs are forgotten; their results still arrive. */
export function forgetPending(t: InFlight): InFlight {
  return { ...t, pending: {}, mine: null };
}

export function isBusy(t: InFlight): boolean {
  return t.requesting || Object.keys(t.pending).length > 0;
}

/** '' when idle; otherwise our own run's place, or the room's run in progress. */
export function runStatusText(t: InFlight): string {
  if (t.requesting) return 'Sending…';
  const positions = Object.values(t.pending);
  if (positions.length === 0) return '';
  const position = (t.mine !== null ? t.pending[t.mine] : undefined) ?? Math.min(...positions);
  return position > 0 ? `Queued — position ${position}` : 'Running tests…';
}
