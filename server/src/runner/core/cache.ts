// Compiled programs by content: running unchanged code again (Ctrl+Enter twice, a replay's "test
// this moment" on a run's own code) skips the compiler. The key covers everything a build depends
// on, so a hit is the very program a compile would produce. Bounded by count and by bytes (least
// recently used out first), in memory. Grades of programs whose result can only depend on their
// input are kept the same way, so that such a re-run needs neither compiler nor sandbox.
import type { GradeResult } from '../../../../common/exercise.ts';
import type { Exercise } from '../../exercises/types.ts';
import type { RunnerLimits } from './limits.ts';
import { deepCopy } from './platform.ts';
import type { Hasher } from './ports.ts';
import { buildFingerprint, type BuildResult } from './program.ts';

export interface ProgramCacheLimits {
  maxEntries: number;
  /** Estimated bytes held: module bytes, V8's compiled code for them, compiler output. */
  maxBytes: number;
}

export const DEFAULT_PROGRAM_CACHE: Readonly<ProgramCacheLimits> = Object.freeze({ maxEntries: 128, maxBytes: 96 * 1024 * 1024 });

const exerciseHashes = new WeakMap<Exercise, string>();

/** Hash of everything an exercise contributes to a build and its grading. */
export function exerciseHash(hash: Hasher, exercise: Exercise): string {
  let known = exerciseHashes.get(exercise);
  if (!known) {
    known = hash(JSON.stringify([exercise.slug, exercise.driver, exercise.headers, exercise.solution, exercise.cases]));
    exerciseHashes.set(exercise, known);
  }
  return known;
}

/** Cache key of a build: the source, the exercise it is linked with (if any), flags and limits. */
export function programKey(hash: Hasher, source: string, exercise: Exercise | undefined, limits: RunnerLimits): string {
  const linkedWith = exercise ? [exercise.slug, exerciseHash(hash, exercise)] : null;
  return hash(JSON.stringify([source, linkedWith, buildFingerprint(limits), limits]));
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

/** Values by key, least recently used out first once over `maxEntries` or `maxBytes`. */
class BoundedLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private heldBytes = 0;

  constructor(private readonly limits: ProgramCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key); // most recently used last
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    if (bytes > this.limits.maxBytes || this.entries.has(key)) return;
    this.entries.set(key, { value, bytes });
    this.heldBytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.heldBytes <= this.limits.maxBytes) break;
      this.entries.delete(oldest);
      this.heldBytes -= entry.bytes;
    }
  }
}

export class ProgramCache {
  private readonly entries: BoundedLru<BuildResult>;
  private readonly building = new Map<string, Promise<BuildResult>>();
  hits = 0;
  misses = 0;

  constructor(limits: ProgramCacheLimits = DEFAULT_PROGRAM_CACHE) {
    this.entries = new BoundedLru(limits);
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.bytes;
  }

  /** The stored build for `key`, or `build()`'s (stored when it is worth keeping). */
  async getOrBuild(key: string, build: () => Promise<BuildResult>): Promise<CachedBuild> {
    const stored = this.entries.get(key);
    if (stored) {
      this.hits++;
      return { result: stored, cached: true };
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
      if (result.kind !== 'timeout') this.entries.set(key, result, estimatedBytes(result));
      return { result, cached: false };
    } finally {
      this.building.delete(key);
    }
  }
}

export const DEFAULT_GRADE_CACHE: Readonly<ProgramCacheLimits> = Object.freeze({ maxEntries: 256, maxBytes: 16 * 1024 * 1024 });

/**
 * Finished grades by build key, for programs whose every outcome is decided by their input (see
 * `isInputDetermined`). A hit is returned as a copy, so that no caller can change the stored one.
 */
export class GradeCache {
  private readonly entries: BoundedLru<GradeResult>;
  hits = 0;

  constructor(limits: ProgramCacheLimits = DEFAULT_GRADE_CACHE) {
    this.entries = new BoundedLru(limits);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): GradeResult | undefined {
    const stored = this.entries.get(key);
    if (!stored) return undefined;
    this.hits++;
    const copy = deepCopy(stored);
    copy.timings = { ...copy.timings, compileMs: 0 };
    return copy;
  }

  set(key: string, result: GradeResult): void {
    // Strings are UTF-16 in memory: twice their JSON length is a safe estimate.
    this.entries.set(key, deepCopy(result), 2 * JSON.stringify(result).length + 512);
  }
}
