// Grading that the candidate's program cannot forge: every case runs the exercise's driver, linked
// with the candidate's code, in an instance of its own, and the host compares stdout and the exit
// status with what the reference solution produced through the same driver.
import { diffLines } from 'diff';
import type { CaseResult, CaseStatus, Diagnostic, GradeResult } from '../../../../common/exercise.ts';
import type { Exercise } from '../../exercises/types.ts';
import type { GradeCache, ProgramCache } from './cache.ts';
import { parseDiagnostics } from './diagnostics.ts';
import { UNMETERED_FUEL, caseFuel } from './fuel.ts';
import type { RunnerLimits } from './limits.ts';
import { CANDIDATE_FILE, ObjectCache, build, buildFingerprint, executeAll, isInputDetermined, shimObject, type BuildResult, type Execution } from './program.ts';
import { longestFirst } from './lanes.ts';
import type { Compiler, Hasher, Logger, ProgramRunner } from './ports.ts';

export const DRIVER_FILE = 'driver.c';
const MAX_DIFF_LINES = 200;

export interface Expected {
  stdout: string;
  exitCode: number;
  /** How long the reference took on this case: grades start the slowest cases first. */
  ms: number;
  /** Steps the reference used on this case: the case's budget derives from it (fuel.ts). */
  fuel: number;
}

/** The reference is trusted: its wall-clock limit is this many times a candidate's. */
const REFERENCE_TIME_FACTOR = 5;

export interface GradeContext {
  compiler: Compiler;
  sandbox: ProgramRunner;
  limits: RunnerLimits;
  references: ReferenceCache;
  objects: ObjectCache;
  programs: ProgramCache;
  grades: GradeCache;
  /** Cases of this grade run at once, when not `limits.caseLanes` (practice: one, see runner.ts). */
  caseLanes?: number;
}

/** The runner's log; `warn` (info when absent) is for what an operator should look into. */
export interface RunnerLog extends Logger {
  warn?(message: string): void;
}

/**
 * Where expected outputs outlive this process (the server wires it to its store): computed once
 * per exercise content, then reused by every restart and every node.
 */
export interface ReferencePort {
  /** The outputs stored under `key`, or undefined (also for a stored copy that does not validate). */
  load(key: string): Promise<Expected[] | undefined>;
  /** Stores them unless `key` has some already. */
  save(key: string, slug: string, expected: Expected[]): Promise<void>;
}

/** The exercise's content key: equal keys mean the reference would produce equal outputs. */
export function referenceKey(hash: Hasher, limits: RunnerLimits, exercise: Exercise): string {
  return hash(JSON.stringify([buildFingerprint(limits), exercise.solution, exercise.driver, exercise.headers, exercise.cases.map((c) => c.input)]));
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Expected outputs per exercise content, looked up in memory, then in the port, and only then
 * computed from the reference solution (and saved through the port).
 */
export class ReferenceCache {
  private readonly byHash = new Map<string, Promise<Expected[]>>();

  constructor(
    private readonly hash: Hasher,
    private readonly port?: ReferencePort,
    private readonly log?: RunnerLog,
  ) {}

  /** The outputs this process or the port already has, without compiling or running anything. */
  async known(limits: RunnerLimits, exercise: Exercise): Promise<Expected[] | undefined> {
    const key = referenceKey(this.hash, limits, exercise);
    const pending = this.byHash.get(key);
    if (pending) return pending;
    const loaded = await this.load(key, exercise);
    if (loaded && !this.byHash.has(key)) this.byHash.set(key, Promise.resolve(loaded));
    return loaded;
  }

  get(context: GradeContext, exercise: Exercise): Promise<Expected[]> {
    const key = referenceKey(this.hash, context.limits, exercise);
    let expected = this.byHash.get(key);
    if (!expected) {
      expected = this.loadOrCompute(context, exercise, key);
      this.byHash.set(key, expected);
      expected.catch(() => this.byHash.delete(key)); // let a later job retry
    }
    return expected;
  }

  private async loadOrCompute(context: GradeContext, exercise: Exercise, key: string): Promise<Expected[]> {
    const loaded = await this.load(key, exercise);
    if (loaded) return loaded;
    const computed = await computeExpected(context, exercise);
    try {
      await this.port?.save(key, exercise.slug, computed);
    } catch (error) {
      // Grading goes on with the computed outputs; the next start computes them again.
      this.warn(`exercise ${exercise.slug}: its expected outputs could not be stored: ${message(error)}`);
    }
    return computed;
  }

  /** From the port; a failing port or outputs that do not fit the exercise count as none. */
  private async load(key: string, exercise: Exercise): Promise<Expected[] | undefined> {
    if (!this.port) return undefined;
    try {
      const loaded = await this.port.load(key);
      return loaded?.length === exercise.cases.length ? loaded : undefined;
    } catch (error) {
      this.warn(`exercise ${exercise.slug}: stored expected outputs could not be read, computing them: ${message(error)}`);
      return undefined;
    }
  }

  private warn(text: string): void {
    if (this.log?.warn) this.log.warn(text);
    else this.log?.info(text);
  }
}

/** The driver's object and the shim: compiled once per content (ObjectCache), linked into every build. */
export async function driverObjects(context: GradeContext, exercise: Exercise): Promise<Record<string, Uint8Array>> {
  const { compiler, limits, objects } = context;
  return {
    [DRIVER_FILE.replace(/\.c$/, '.o')]: await objects.get(compiler, limits, DRIVER_FILE, exercise.driver, exercise.headers),
    ...(await shimObject(objects, compiler, limits)),
  };
}

async function buildWithDriver(context: GradeContext, exercise: Exercise, source: string): Promise<BuildResult> {
  return build(context.compiler, context.limits, source, await driverObjects(context, exercise), exercise.headers);
}

async function computeExpected(context: GradeContext, exercise: Exercise): Promise<Expected[]> {
  const built = await buildWithDriver(context, exercise, exercise.solution);
  if (built.kind !== 'built') {
    throw new Error(`exercise ${exercise.slug}: the reference solution does not build (${built.kind}):\n${built.output}${built.error ?? ''}`);
  }
  const inputs = exercise.cases.map((c) => ({ stdin: c.input, fuel: UNMETERED_FUEL }));
  const runs = await executeAll(context.compiler, context.sandbox, context.limits, built.program, inputs, {
    measureFuel: true,
    runMs: context.limits.runMs * REFERENCE_TIME_FACTOR,
  });
  return runs.map((run, index) => {
    if (run.kind !== 'exited' || run.fuelUsed === undefined) {
      const why = run.fault?.message ?? (run.kind === 'exited' ? 'it did not report the steps it used' : run.kind);
      throw new Error(`exercise ${exercise.slug}: the reference solution fails on case "${exercise.cases[index]!.name}": ${why}`);
    }
    return { stdout: run.stdout, exitCode: run.exitCode ?? -1, ms: run.ms, fuel: run.fuelUsed };
  });
}

function caseStatus(run: Execution, expected: Expected): CaseStatus {
  if (run.kind === 'timeout') return 'timeout';
  if (run.kind === 'output_limit') return 'output_limit';
  const passed = run.kind === 'exited' && run.exitCode === expected.exitCode && run.stdout === expected.stdout;
  if (passed) return 'pass';
  if (run.outOfMemory) return 'memory_limit';
  return run.kind === 'trapped' ? 'runtime_error' : 'fail';
}

/** Line diff for people: "-" lines were expected, "+" lines were printed instead. */
export function readableDiff(expected: string, actual: string): string {
  const lines: string[] = [];
  for (const part of diffLines(expected, actual)) {
    const marker = part.added ? '+' : part.removed ? '-' : ' ';
    for (const line of part.value.replace(/\n$/, '').split('\n')) lines.push(`${marker} ${line}`);
  }
  if (lines.length > MAX_DIFF_LINES) return [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`].join('\n');
  return lines.join('\n');
}

function compileFailure(built: Exclude<BuildResult, { kind: 'built' }>, exercise: Exercise): GradeResult {
  const diagnostics: Diagnostic[] = parseDiagnostics(built.output, CANDIDATE_FILE);
  if (built.error) diagnostics.unshift({ line: 1, column: 1, severity: 'error', message: built.error });
  else if (!diagnostics.some((d) => d.severity === 'error')) {
    diagnostics.unshift({ line: 1, column: 1, severity: 'error', message: 'the tests could not be compiled together with this code (see the compiler output)' });
  }
  return {
    status: 'compile_error',
    passed: 0,
    total: exercise.cases.length,
    cases: exercise.cases.map((c) => ({ name: c.name, visible: c.visible, status: 'compile_error', timeMs: 0 })),
    diagnostics,
    compilerOutput: built.output,
    timings: { compileMs: built.ms, runMs: 0 },
  };
}

/** The candidate's program linked with the driver (`key`: its programKey), from the cache when this exact build was done. */
async function buildForGrading(context: GradeContext, exercise: Exercise, source: string, key: string): Promise<BuildResult> {
  const { result, cached } = await context.programs.getOrBuild(key, () => buildWithDriver(context, exercise, source));
  return cached ? { ...result, ms: 0 } : result;
}

/**
 * Whether a grade is the one every later grade of the same build would get: a compile error, or a
 * program that can see nothing but its input and finished every case well within the time limit
 * (a case near the limit could time out on a busier machine).
 */
function repeatable(built: BuildResult, result: GradeResult, limits: RunnerLimits): boolean {
  if (built.kind === 'compile_error') return true;
  if (built.kind !== 'built' || !isInputDetermined(built.program.info)) return false;
  return result.cases.every((c) => c.status !== 'timeout' && c.timeMs !== undefined && c.timeMs < limits.runMs / 2);
}

/** Grades `source` (`key`: its programKey, also the key of its stored grade) and stores the grade when a re-run could not change it. */
export async function gradeSource(context: GradeContext, exercise: Exercise, source: string, key: string): Promise<GradeResult> {
  const result = await gradeOnce(context, exercise, source, key);
  if (repeatable(result.built, result.graded, context.limits)) context.grades.set(key, result.graded);
  return result.graded;
}

async function gradeOnce(context: GradeContext, exercise: Exercise, source: string, key: string): Promise<{ built: BuildResult; graded: GradeResult }> {
  const built = await buildForGrading(context, exercise, source, key);
  if (built.kind !== 'built') return { built, graded: compileFailure(built, exercise) };
  const expected = await context.references.get(context, exercise);
  const order = longestFirst(expected.map((e) => e.ms));
  const inputs = exercise.cases.map((c, index) => ({ stdin: c.input, fuel: caseFuel(expected[index]!.fuel, context.limits) }));
  const runs = await executeAll(context.compiler, context.sandbox, context.limits, built.program, inputs, { order, caseLanes: context.caseLanes });
  const cases: CaseResult[] = [];
  let runMs = 0;
  for (const [index, testCase] of exercise.cases.entries()) {
    const run = runs[index]!;
    const want = expected[index]!;
    runMs += run.ms;
    const result: CaseResult = { name: testCase.name, visible: testCase.visible, status: caseStatus(run, want), timeMs: run.ms };
    if (run.fault) result.fault = run.fault;
    // A hidden case's input goes to nobody. What it expected and got, its fault (which can quote
    // the program's stderr) and time reach only roles with 'see:hidden' (common/redact.ts): the
    // reviewers, who judge the failure like a visible one.
    if (result.status !== 'pass') {
      const detail = { expected: want.stdout, actual: run.stdout, diff: readableDiff(want.stdout, run.stdout), stderr: run.stderr };
      result.detail = testCase.visible ? { input: testCase.input, ...detail } : detail;
    } else if (testCase.visible && run.stderr !== '') {
      // Candidates debug on stderr: show it on passing cases too (it is never compared).
      result.stderr = run.stderr;
    }
    cases.push(result);
  }
  const graded: GradeResult = {
    status: 'ok',
    passed: cases.filter((c) => c.status === 'pass').length,
    total: cases.length,
    cases,
    diagnostics: parseDiagnostics(built.output, CANDIDATE_FILE),
    compilerOutput: built.output,
    timings: { compileMs: built.ms, runMs },
  };
  return { built, graded };
}
