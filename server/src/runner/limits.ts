// This machine's runner limits: the core's defaults for the threads Node can run at once.
import os from 'node:os';
import { defaultLimits, resolveLimitsFrom, type RunnerLimits } from './core/limits.ts';

export type { RunnerLimits } from './core/limits.ts';

export const DEFAULT_LIMITS: Readonly<RunnerLimits> = defaultLimits(os.availableParallelism());

/** DEFAULT_LIMITS with `overrides`, checked (a limit that cannot work throws a RangeError). */
export function resolveLimits(overrides: Partial<RunnerLimits> = {}): RunnerLimits {
  return resolveLimitsFrom(DEFAULT_LIMITS, overrides);
}
