// What a run of a loaded session grades, and the practice bound on how often one may be asked for.
import { LIMITS, type Result, type RunQueued } from '../../../common/protocol.ts';
import { storedTextAt } from '../history/stored.ts';
import type { Store } from '../store/types.ts';
import { fail } from './errors.ts';
import type { Live } from './live.ts';
import type { RunTarget } from './runs.ts';

/**
 * Runs grade the code as stored, at the last committed update: exactly what the replay shows at
 * that update. Edits still being committed are waited for, so nothing acknowledged is missed.
 */
export function runTargetOf(store: Store, live: Live): RunTarget {
  const code = async () => {
    while (live.doc.writes.size > 0) await Promise.allSettled([...live.doc.writes]);
    const updateId = live.doc.lastUpdateId;
    return { updateId, source: await storedTextAt(store, live.record.id, updateId) };
  };
  return { sessionId: live.record.id, exercise: live.exercise, mode: live.record.mode, owner: queueOwner(live), code };
}

/** Whom a run counts against in the runner queue's fairness: a student across all their attempts. */
export function queueOwner(live: Live): string {
  return live.record.mode === 'practice' && live.record.owner ? `student:${live.record.owner}` : `session:${live.record.id}`;
}

/** Practice is open to anyone: at most LIMITS.practiceRunsPerMinute runs a minute per attempt. */
export function takePracticeRun(live: Live, now: number): Result<RunQueued> | null {
  if (live.record.mode !== 'practice') return null;
  live.runTimes = live.runTimes.filter((t) => t > now - 60_000);
  if (live.runTimes.length >= LIMITS.practiceRunsPerMinute) {
    const wait = Math.ceil((live.runTimes[0]! + 60_000 - now) / 1000);
    return fail('rate_limited', `At most ${LIMITS.practiceRunsPerMinute} runs a minute in practice; try again in ${wait} s.`);
  }
  live.runTimes.push(now);
  return null;
}
