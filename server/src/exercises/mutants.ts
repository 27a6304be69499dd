// Mutation testing of an exercise's tests: every mutant of the reference solution is graded by the
// normal runner; tests that let a mutant pass every case have a gap (or the mutant is equivalent).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPatch } from 'diff';
import { z } from 'zod';
import { CompilerPool, type Compiler } from '../runner/compiler.ts';
import type { GradeResult } from '../../../common/exercise.ts';
import type { Runner } from '../runner/index.ts';
import { ExerciseError } from './load.ts';
import { generateMutants, type Mutant, type MutantOperator } from './mutants-generate.ts';
import type { Exercise } from './types.ts';

export type { Mutant, MutantOperator } from './mutants-generate.ts';

/**
 * Runner limits while grading mutants: a mutant that loops forever should not cost 2 s a case, and
 * a compile slowed down by a busy machine must not count as "invalid" (the source is trusted).
 */
export const MUTANT_LIMITS = Object.freeze({ runMs: 1_000, compileMs: 60_000 });
export const DEFAULT_MIN_SCORE = 0.9;
export const EQUIVALENTS_FILE = 'mutants.json';

export type MutantStatus = 'killed' | 'survived' | 'invalid' | 'equivalent';

export interface MutantResult {
  id: string;
  operator: MutantOperator;
  line: number;
  status: MutantStatus;
  /** killed: the cases that failed (with their status); equivalent: why. */
  detail: string;
  /** Unified diff of solution.c, for survivors and equivalents. */
  diff?: string;
}

export interface MutationReport {
  exercise: string;
  generated: number;
  invalid: number;
  killed: number;
  survived: number;
  equivalent: number;
  /** killed / (generated - invalid - equivalent); 1 when nothing is left to kill. */
  score: number;
  minScore: number;
  ok: boolean;
  mutants: MutantResult[];
  /** Problems with mutants.json: ids that match no mutant, and listed mutants that were killed. */
  warnings: string[];
}

const equivalentsSchema = z.strictObject({
  equivalent: z.array(z.strictObject({ id: z.string().min(1), reason: z.string().trim().min(10) })),
});

/** The reviewer-approved equivalent mutants of an exercise (exercises/SLUG/mutants.json), by id. */
export async function loadEquivalents(exercise: Exercise): Promise<Map<string, string>> {
  const file = path.join(exercise.dir, EQUIVALENTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return new Map(); // the file is optional
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ExerciseError(file, `invalid JSON: ${(error as Error).message}`);
  }
  const parsed = equivalentsSchema.safeParse(data);
  if (!parsed.success) throw new ExerciseError(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return new Map(parsed.data.equivalent.map((entry) => [entry.id, entry.reason]));
}

/**
 * Proves a surviving mutant equivalent when clang compiles it to exactly the same object code as
 * the reference (-O1, no debug info, the runner's sanitizer flags): same code, same behaviour on
 * every input. One extra compiler, started only when the first survivor needs it.
 */
export class ObjectComparer {
  private pool: CompilerPool | undefined;
  private readonly references = new Map<string, Promise<Uint8Array | undefined>>();

  private static readonly FLAGS = ['-std=c17', '-O1', '-fsanitize=undefined', '-fno-sanitize=alignment,object-size', '-fsanitize-trap=all', '-fno-sanitize-merge', '-Iinclude'];

  private async object(compiler: Compiler, exercise: Exercise, source: string): Promise<Uint8Array | undefined> {
    const files = { 'solution.c': source, include: { ...exercise.headers } };
    const compiled = await compiler.compile(['clang', ...ObjectComparer.FLAGS, '-c', 'solution.c', '-o', 'solution.o'], files, 'solution.o', 60_000);
    return compiled.kind === 'compiled' ? compiled.wasm : undefined;
  }

  async identical(exercise: Exercise, source: string): Promise<boolean> {
    this.pool ??= new CompilerPool(1, { info: () => {} });
    const pool = this.pool;
    let reference = this.references.get(exercise.solution);
    if (!reference) {
      reference = pool.use((compiler) => this.object(compiler, exercise, exercise.solution));
      this.references.set(exercise.solution, reference);
    }
    const [want, got] = await Promise.all([reference, pool.use((compiler) => this.object(compiler, exercise, source))]);
    return want !== undefined && got !== undefined && Buffer.from(want).equals(Buffer.from(got));
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** Unified diff of solution.c before and after the mutation, without the file header lines. */
export function mutantDiff(exercise: Exercise, mutant: Mutant): string {
  const patch = createPatch('solution.c', exercise.solution, mutant.source, 'reference', mutant.id, { context: 2 });
  // Drop the "Index:" and "=====" lines that createPatch puts before the ---/+++ header.
  return patch.split('\n').slice(2).join('\n').trimEnd();
}

/**
 * runner.grade, up to three times if it throws: computing the reference's outputs throws when one
 * of its runs times out, which a very busy machine can cause under the shorter time limit.
 */
async function grade(runner: Runner, exercise: Exercise, source: string): Promise<GradeResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runner.grade(exercise, source);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

function verdict(result: GradeResult): Pick<MutantResult, 'status' | 'detail'> {
  if (result.status !== 'ok') return { status: 'invalid', detail: result.status };
  const failed = result.cases.filter((c) => c.status !== 'pass');
  if (failed.length === 0) return { status: 'survived', detail: `passes all ${result.total} cases` };
  return { status: 'killed', detail: failed.map((c) => `${c.name} (${c.status})`).join(', ') };
}

async function gradeMutant(runner: Runner, exercise: Exercise, mutant: Mutant): Promise<Pick<MutantResult, 'status' | 'detail'>> {
  const result = await grade(runner, exercise, mutant.source);
  const failed = result.cases.filter((c) => c.status !== 'pass');
  if (result.status !== 'ok' || failed.length === 0 || failed.some((c) => c.status !== 'timeout')) return verdict(result);
  // Killed by timeouts alone: on a busy machine a correct program can be slow once. Run the first
  // of those cases alone again; a real hang times out again, a slow moment does not.
  const testCase = exercise.cases.find((c) => c.name === failed[0]!.name)!;
  const again = await grade(runner, { ...exercise, cases: [testCase] }, mutant.source);
  if (again.cases[0]?.status === 'timeout') return verdict(result);
  return verdict(await grade(runner, exercise, mutant.source));
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

export interface MutationOptions {
  minScore?: number;
  comparer: ObjectComparer;
  /** Called after each graded mutant, for progress output. */
  onGraded?: (done: number, total: number) => void;
}

export async function testMutants(runner: Runner, exercise: Exercise, options: MutationOptions): Promise<MutationReport> {
  const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
  const mutants = await generateMutants(exercise.solution);
  // The reference must pass under the shorter time limit, or every verdict below is noise. This
  // also computes the expected outputs once, before the mutants ask for them all at once.
  const reference = await grade(runner, exercise, exercise.solution);
  if (reference.status !== 'ok' || reference.passed !== reference.total) {
    throw new Error(`${exercise.slug}: the reference solution does not pass every case within ${runner.limits.runMs} ms per case (${verdict(reference).detail})`);
  }
  let done = 0;
  // Never more in flight than the runner runs at once: its queue is bounded.
  const results = await mapLimited(mutants, runner.limits.concurrency, async (mutant): Promise<MutantResult> => {
    const graded = await gradeMutant(runner, exercise, mutant);
    options.onGraded?.(++done, mutants.length);
    const result: MutantResult = { id: mutant.id, operator: mutant.operator, line: mutant.line, ...graded };
    if (graded.status !== 'survived') return result;
    result.diff = mutantDiff(exercise, mutant);
    if (await options.comparer.identical(exercise, mutant.source)) return { ...result, status: 'equivalent', detail: 'compiles to the same object code as the reference' };
    return result;
  });

  // Read after grading, so that a reviewer can list equivalents while a long run is going.
  const acknowledged = await loadEquivalents(exercise);
  for (const result of results) {
    const reason = acknowledged.get(result.id);
    if (result.status === 'survived' && reason) Object.assign(result, { status: 'equivalent', detail: `listed in ${EQUIVALENTS_FILE}: ${reason}` });
  }
  const warnings: string[] = [];
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const id of acknowledged.keys()) {
    const result = byId.get(id);
    if (!result) warnings.push(`${EQUIVALENTS_FILE}: "${id}" matches no mutant (did solution.c change?)`);
    // Which cases failed, and how: a kill seen only under load (a timeout, say) is not a real one.
    else if (result.status === 'killed') warnings.push(`${EQUIVALENTS_FILE}: "${id}" is listed as equivalent but the tests kill it: ${result.detail}`);
  }
  const count = (status: MutantStatus) => results.filter((r) => r.status === status).length;
  const [invalid, killed, survived, equivalent] = [count('invalid'), count('killed'), count('survived'), count('equivalent')];
  const killable = results.length - invalid - equivalent;
  const score = killable === 0 ? 1 : killed / killable;
  return { exercise: exercise.slug, generated: results.length, invalid, killed, survived, equivalent, score, minScore, ok: score >= minScore, mutants: results, warnings };
}
