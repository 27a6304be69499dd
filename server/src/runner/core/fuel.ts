// Fuel: a program's time limit counted in steps instead of milliseconds.
//
// The candidate's files are compiled with -fsanitize-coverage=trace-pc-guard, so every edge of
// their control flow (each loop iteration, each call) calls the shim's counter; past the budget
// the program traps in `runner_fuel_exhausted`, which the runner reports as `timeout`. A step
// count does not depend on what else the machine is doing, so the same code gets the same verdict
// on a quiet or a saturated server. Each test case's budget derives from what the reference
// solution used on it (caseFuel). The wall-clock limit stays, as the backstop for what fuel does
// not count (a program sleeping in a system call, or code built to escape the counter).
import type { RunnerLimits } from './limits.ts';
import type { ProgramOutcome, RunInput } from './ports.ts';

export const FUEL_ENV = 'RUNNER_FUEL';
export const FUEL_REPORT_ENV = 'RUNNER_FUEL_REPORT';
/** The shim's function that traps when the budget is spent (its name is on the trap's stack). */
export const FUEL_EXHAUSTED_FUNCTION = 'runner_fuel_exhausted';
/** Written last on stderr by a measured run (the reference's): the steps it used. */
export const FUEL_REPORT_MARKER = '[runner] fuel used:';
/** A budget no trusted run reaches; the reference is bounded by its wall clock instead. */
export const UNMETERED_FUEL = 1e15;
/**
 * A run's wall-clock backstop is the time its budget takes at this speed (a quarter of what was
 * measured on an idle machine here, ~200,000 steps per ms), and at least `runMs`: a budget runs
 * out well before its backstop even on a busy machine.
 */
export const SLOWEST_STEPS_PER_MS = 50_000;
/** Steps per ms measured here on an idle machine at -O0 (tight loops). */
export const STEPS_PER_MS = 200_000;

export type FuelLimits = Pick<RunnerLimits, 'fuelFloor' | 'fuelFactor' | 'fuelCeiling'>;

/**
 * A case's budget: `fuelFactor` times what the reference used on it, at least `fuelFloor` (a
 * simple loop over small input must not fail for being a few steps longer than a clever one) and
 * at most `fuelCeiling` (which keeps the worst case well inside the wall-clock backstop).
 */
export function caseFuel(referenceFuel: number, limits: FuelLimits): number {
  return Math.min(limits.fuelCeiling, Math.max(limits.fuelFloor, Math.ceil(referenceFuel * limits.fuelFactor)));
}

/**
 * The budget of a run with no reference to measure against (a console run, `cli run`): what an
 * idle machine does in `runMs`, at most the ceiling.
 */
export function standaloneFuel(limits: Pick<RunnerLimits, 'runMs' | 'fuelCeiling'>): number {
  return Math.min(limits.fuelCeiling, limits.runMs * STEPS_PER_MS);
}

/** The wall-clock backstop of a run with this budget. */
export function wallMs(fuel: number, limits: Pick<RunnerLimits, 'runMs'>): number {
  return Math.max(limits.runMs, Math.ceil(fuel / SLOWEST_STEPS_PER_MS));
}

/**
 * The input of one run under a budget, with its backstop (`runMs` when given, else wallMs);
 * `measure` makes the program report the steps it used.
 */
export function fueledInput(stdin: string, fuel: number, limits: Pick<RunnerLimits, 'runMs'>, options: { measure?: boolean; runMs?: number } = {}): RunInput {
  return {
    stdin,
    env: { [FUEL_ENV]: String(Math.floor(fuel)), ...(options.measure ? { [FUEL_REPORT_ENV]: '1' } : {}) },
    runMs: options.runMs ?? wallMs(fuel, limits),
  };
}

/** True when the program trapped because its budget was spent (the shim's function is on top). */
export function ranOutOfFuel(outcome: ProgramOutcome): boolean {
  if (outcome.kind !== 'trapped' || !outcome.trapMessage) return false;
  const firstFrame = /^\s*at\s+(\S+)/m.exec(outcome.trapMessage)?.[1] ?? '';
  return firstFrame.endsWith(`.${FUEL_EXHAUSTED_FUNCTION}`);
}

/** Steps a measured run reported (and its stderr without the report), or undefined without one. */
export function takeFuelReport(stderr: string): { fuel: number; stderr: string } | undefined {
  const at = stderr.lastIndexOf(`\n${FUEL_REPORT_MARKER} `);
  if (at < 0) return undefined;
  const fuel = Number(stderr.slice(at + FUEL_REPORT_MARKER.length + 2).trim());
  if (!Number.isSafeInteger(fuel) || fuel < 0) return undefined;
  return { fuel, stderr: stderr.slice(0, at) };
}

/** A fuel trap is a timeout: the program had as many steps as the limit allows. */
export function fuelTimeout(outcome: ProgramOutcome): ProgramOutcome {
  const { trapMessage: _trap, ...rest } = outcome;
  return { ...rest, kind: 'timeout', exitCode: null };
}
