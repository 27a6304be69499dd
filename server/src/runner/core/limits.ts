// The limits a job runs under, their defaults and their checks. The defaults depend on the
// machine's parallelism, which the host passes in (Node: os.availableParallelism(); a browser:
// navigator.hardwareConcurrency).
import { SOURCE_BYTES } from '../../../../common/source-limit.ts';

/** Every limit a job runs under. All are enforced, each with its own verdict. */
export interface RunnerLimits {
  /** Largest accepted C source, in bytes (UTF-8). */
  sourceBytes: number;
  /** Wall time for one compile, including linking. */
  compileMs: number;
  /**
   * Wall time for one program run (one test case), at least: a run whose step budget needs more
   * gets that (fuel.ts wallMs). Only what the budget does not count meets this limit.
   */
  runMs: number;
  /** Linear memory ceiling of the compiled program; a multiple of 64 KiB. */
  memoryBytes: number;
  /** Size of the C stack inside linear memory. */
  stackBytes: number;
  /** Cap for stdout and for stderr, each. */
  outputBytes: number;
  /** Jobs compiled and run at once (one warm compiler each, ~0.5 GB). */
  concurrency: number;
  /** Jobs allowed to wait; more are refused so a burst cannot grow memory without bound. */
  maxQueued: number;
  /** Test cases of one grade run at once, each still in an instance of its own. */
  caseLanes: number;
  /**
   * Step budgets (fuel.ts): a case may use `fuelFactor` times the steps the reference solution
   * used on it, at least `fuelFloor` and at most `fuelCeiling`; a console run gets the ceiling.
   */
  fuelFloor: number;
  fuelFactor: number;
  fuelCeiling: number;
}

/** The defaults on a machine that runs `parallelism` threads at once. */
export function defaultLimits(parallelism: number): Readonly<RunnerLimits> {
  return Object.freeze({
    sourceBytes: SOURCE_BYTES, // the document's limit too: what the editor holds always compiles
    compileMs: 10_000,
    runMs: 2_000,
    memoryBytes: 64 * 1024 * 1024,
    stackBytes: 1024 * 1024,
    outputBytes: 64 * 1024,
    concurrency: Math.max(1, parallelism),
    maxQueued: 64,
    // Two lanes take a fifth to a quarter off a grade's runs on an idle machine (not half: the
    // instances share the SDK's main-thread work); more would only compete with other jobs' compiles.
    caseLanes: Math.min(2, Math.max(1, parallelism)),
    // ~200,000 steps per ms at -O0 here. The floor (~50 ms of steps) is far more than what most
    // references use on a case (a few thousand steps); the ceiling (~2.5 s) gives the heaviest
    // reference case (page-frame-allocator's full drain, 79 M steps) over 6x, and is a console
    // run's budget.
    fuelFloor: 10_000_000,
    fuelFactor: 10,
    fuelCeiling: 500_000_000,
  });
}

const WASM_PAGE = 64 * 1024;

/** `defaults` with `overrides`, checked: a limit that cannot work is refused with a RangeError. */
export function resolveLimitsFrom(defaults: Readonly<RunnerLimits>, overrides: Partial<RunnerLimits> = {}): RunnerLimits {
  const limits = { ...defaults, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`runner limit ${name} must be a positive integer, got ${value}`);
    }
  }
  if (limits.memoryBytes % WASM_PAGE !== 0) {
    throw new RangeError(`runner limit memoryBytes must be a multiple of 64 KiB, got ${limits.memoryBytes}`);
  }
  if (limits.fuelFloor > limits.fuelCeiling) throw new RangeError('runner limit fuelFloor must not exceed fuelCeiling');
  if (limits.stackBytes % 16 !== 0 || limits.stackBytes >= limits.memoryBytes / 2) {
    throw new RangeError('runner limit stackBytes must be 16-byte aligned and below half of memoryBytes');
  }
  return Object.freeze(limits);
}
