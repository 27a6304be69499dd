// Compiled programs by content: running unchanged code again (Ctrl+Enter twice, a replay's "test
// this moment" on a run's own code) skips the compiler. The key covers everything a build depends
// on, so a hit is the very program a compile would produce. Bounded by count and by bytes (least
// recently used out first), in memory.
import { createHash } from 'node:crypto';
import type { Exercise } from '../exercises/types.ts';
import type { RunnerLimits } from './limits.ts';
import { buildFingerprint, type BuildResult } from './program.ts';

export interface ProgramCacheLimits {
  maxEntries: number;
  /** Estimated bytes held: module bytes, V8's compiled code for them, compiler output. */
  maxBytes: number;
}

export const DEFAULT_PROGRAM_CACHE: Readonly<ProgramCacheLimits> = Object.freeze({ maxEntries: 128, maxBytes: 96 * 1024 * 1024 });

const exerciseHashes = new WeakMap<Exercise, string>();

/** Hash of everything an exercise contributes to a build and its grading. */
export function exerciseHash(exercise: Exercise): string {
  let hash = exerciseHashes.get(exercise);
  if (!hash) {
    hash = createHash('sha256')
      .update(JSON.stringify([exercise.slug, exercise.driver, exercise.headers, exercise.solution, exercise.cases]))
      .digest('hex');
    exerciseHashes.set(exercise, hash);
  }
  return hash;
}

/** Cache key of a build: the source, the exercise it is linked with (if any), flags and limits. */
export function programKey(source: string, exercise: Exercise | undefined, limits: RunnerLimits): string {
  const linkedWith = exercise ? [exercise.slug, exerciseHash(exercise)] : null;
  return createHash('sha256').update(JSON.stringify([source, linkedWith, buildFingerprint(limits), limits])).digest('hex');
}

function estimatedBytes(result: BuildResult): number {
  // Compiled code is about the size of the module again; count it twice to be safe.
  const program = result.kind === 'built' ? result.program.wasm.byteLength * 3 : 0;
  return program + 2 * result.output.length + 512;
}

export interface CachedBuild {
  result: BuildResult;
  /** True when no compile was needed (a stored result, or one another job was producing). */
  cached: boolean;
}

export class ProgramCache {
  private readonly entries = new Map<string, { result: BuildResult; bytes: number }>();
  private readonly building = new Map<string, Promise<BuildResult>>();
  private heldBytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly limits: ProgramCacheLimits = DEFAULT_PROGRAM_CACHE) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** The stored build for `key`, or `build()`'s (stored when it is worth keeping). */
  async getOrBuild(key: string, build: () => Promise<BuildResult>): Promise<CachedBuild> {
    const stored = this.entries.get(key);
    if (stored) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, stored);
      this.hits++;
      return { result: stored.result, cached: true };
    }
    const inFlight = this.building.get(key);
    if (inFlight) {
      this.hits++;
      return { result: await inFlight, cached: true };
    }
    this.misses++;
    const building = build();
    this.building.set(key, building);
    try {
      const result = await building;
      // A compile stopped for time may succeed on a quieter machine: never keep it.
      if (result.kind !== 'timeout') this.store(key, result);
      return { result, cached: false };
    } finally {
      this.building.delete(key);
    }
  }

  private store(key: string, result: BuildResult): void {
    const bytes = estimatedBytes(result);
    if (bytes > this.limits.maxBytes) return;
    this.entries.set(key, { result, bytes });
    this.heldBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.heldBytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.heldBytes -= entry.bytes;
    }
  }
}
