// Fingerprints of a session's final code, stored when its final grading is stored, so that the
// comparison board reads them instead of tokenizing every submission when it opens.
import type { Exercise } from '../exercises/types.ts';
import type { Store } from '../store/types.ts';
import { exerciseBaseline } from './index.ts';
import { fingerprint } from './fingerprint.ts';

// One baseline per loaded exercise: the starter and headers do not change while it is loaded.
const baselines = new WeakMap<Exercise, Promise<Set<number>>>();

export function baselineOf(exercise: Exercise): Promise<Set<number>> {
  let base = baselines.get(exercise);
  if (!base) {
    base = exerciseBaseline(exercise);
    baselines.set(exercise, base);
  }
  return base;
}

export async function fingerprintFor(exercise: Exercise, source: string) {
  return fingerprint(source, await baselineOf(exercise));
}

export async function recordFingerprints(store: Store, exercise: Exercise, sessionId: string, source: string, at: number): Promise<void> {
  await store.putFingerprints({ sessionId, slug: exercise.slug, prints: await fingerprintFor(exercise, source), createdAt: at });
}
