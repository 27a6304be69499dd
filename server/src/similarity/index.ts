// Similarity check between submissions of one exercise (issue 21): fingerprints and comparison.
export { K, W, tokenize, kgrams, winnow, baseline, fingerprint, type Fingerprint, type Token } from './fingerprint.ts';
export { SIMILARITY_THRESHOLD, MIN_FINGERPRINTS, compare, score, type Comparison, type Region, type LineRange } from './compare.ts';
import type { Exercise } from '../exercises/types.ts';
import { baseline } from './fingerprint.ts';

/** The baseline of an exercise: its starter and public headers. */
export function exerciseBaseline(exercise: Pick<Exercise, 'starter' | 'headers'>): Promise<Set<number>> {
  return baseline([exercise.starter, ...Object.values(exercise.headers)]);
}
