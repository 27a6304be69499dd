// The two stages of every job: build (C -> checked WebAssembly module, loaded into the sandbox
// once) and execute (runs of it, each in a fresh sandbox instance, with the outcomes explained).
import { SOLUTION_FILE } from '../../../../common/console.ts';
import type { Fault } from '../../../../common/exercise.ts';
import { classifyFault, parseWasmFrames, type SourceFrame } from './faults.ts';
import { fuelTimeout, fueledInput, ranOutOfFuel, takeFuelReport } from './fuel.ts';
import type { RunnerLimits } from './limits.ts';
import type { Compiler, FileTree, Hasher, ProgramOutcome, ProgramRunner, Symbolizer } from './ports.ts';
import { OUT_OF_MEMORY_MARKER, SHIM_FILE, WRAPPED_ALLOCATORS, shimSource } from './shim.ts';
import { readWasmInfo, type WasmInfo } from './wasm-info.ts';

/**
 * The name the candidate's code is compiled under: the file they see in the room ("solution.c"),
 * so that compiler messages, faults and __FILE__ (an assert's message) name it as they know it.
 */
export const CANDIDATE_FILE = SOLUTION_FILE;
const OUTPUT_FILE = 'prog.wasm';
const TRUSTED_COMPILE_MS = 60_000;
/** The only import module the sandbox provides. */
const WASI_MODULE = 'wasi_snapshot_preview1';

/** Compiler flags chosen so that mistakes surface as explained faults instead of silent corruption. */
function compileFlags(): string[] {
  return [
    // Line tables are all the fault explainer needs (file, line, function, the trap reason's
    // frame); full -g made the candidate's compile up to a tenth slower.
    '-std=c17',
    '-O0',
    '-gline-tables-only',
    '-Wall',
    '-Wextra',
    // @yowasp/clang is an assertions build, which by default verifies the IR twice and keeps
    // every value's name; a release clang does neither. Same code, ~5-10% less compile time.
    '-fno-verify-intermediate-code',
    '-fdiscard-value-names',
    // Undefined behaviour traps (no runtime library needed); one trap per check so the
    // debug info can name which check fired. Alignment and object-size checks share their trap
    // with the NULL check; without them a pointer trap can be reported plainly as a NULL
    // dereference (misaligned loads are well defined on WebAssembly).
    '-fsanitize=undefined',
    '-fno-sanitize=alignment,object-size',
    '-fsanitize-trap=all',
    '-fno-sanitize-merge',
    '-fno-color-diagnostics',
    '-Iinclude',
  ];
}

/**
 * Only for the files a job compiles (the candidate's; the reference's when it is measured), not
 * the driver or the shim: every edge of their control flow calls the shim's fuel counter, so a
 * time limit is a number of steps, the same on a quiet or a saturated machine (see shim.ts).
 */
// no-prune: by default the pass leaves out blocks whose coverage another block implies, which
// includes the body of a loop; every block must count, or a loop could spin for free.
const FUEL_FLAGS = ['-fsanitize-coverage=trace-pc-guard,no-prune'];

function linkFlags(limits: RunnerLimits): string[] {
  return [
    `-Wl,--max-memory=${limits.memoryBytes}`,
    // No merging of identical strings across objects: the same code and line tables, ~10 ms
    // less per link.
    '-Wl,-O0',
    // Stack at the bottom of memory: an overflow leaves memory and traps, instead of
    // overwriting globals.
    '-Wl,--stack-first',
    `-Wl,-z,stack-size=${limits.stackBytes}`,
    ...WRAPPED_ALLOCATORS.map((name) => `-Wl,--wrap=${name}`),
  ];
}

/** Everything that decides what a build produces, for cache keys. */
export function buildFingerprint(limits: RunnerLimits): string {
  return JSON.stringify([compileFlags(), FUEL_FLAGS, linkFlags(limits)]);
}

/**
 * Object files that do not change between jobs (the exercise's test driver, the runner's shim),
 * compiled once and linked into each program: a job then compiles only the candidate's file.
 */
export class ObjectCache {
  private readonly byKey = new Map<string, Promise<Uint8Array>>();

  constructor(private readonly hash: Hasher) {}

  /**
   * The object, compiled by `compiler` unless it is cached or on its way. `fresh` always compiles
   * with `compiler` (a compiler warming up must not wait for a job that waits for it), and keeps
   * the result only if nothing else has been cached meanwhile.
   */
  get(compiler: Compiler, limits: RunnerLimits, name: string, source: string, headers: Record<string, string> = {}, fresh = false): Promise<Uint8Array> {
    const key = this.hash(JSON.stringify([buildFingerprint(limits), name, source, headers]));
    let object = this.byKey.get(key);
    if (fresh) {
      const own = this.compile(compiler, limits, name, source, headers);
      void own.then(
        (bytes) => {
          if (!this.byKey.has(key)) this.byKey.set(key, Promise.resolve(bytes));
        },
        () => {},
      );
      return own;
    }
    if (!object) {
      object = this.compile(compiler, limits, name, source, headers);
      this.byKey.set(key, object);
      object.catch(() => this.byKey.delete(key));
    }
    return object;
  }

  private async compile(compiler: Compiler, limits: RunnerLimits, name: string, source: string, headers: Record<string, string>): Promise<Uint8Array> {
    const output = name.replace(/\.c$/, '.o');
    const files: FileTree = { [name]: source, include: { ...headers } };
    // Trusted code: the candidate's compile limit does not apply, but a hang still must not be forever.
    const timeoutMs = Math.max(limits.compileMs, TRUSTED_COMPILE_MS);
    const compiled = await compiler.compile(['clang', ...compileFlags(), '-c', name, '-o', output], files, output, timeoutMs);
    if (compiled.kind !== 'compiled') throw new Error(`${name} does not compile (${compiled.kind}):\n${compiled.output}`);
    return compiled.wasm;
  }
}

export async function shimObject(objects: ObjectCache, compiler: Compiler, limits: RunnerLimits, fresh = false): Promise<Record<string, Uint8Array>> {
  return { [SHIM_FILE.replace(/\.c$/, '.o')]: await objects.get(compiler, limits, SHIM_FILE, shimSource(limits.memoryBytes), {}, fresh) };
}

export interface Program {
  /** The module; every run of it is a fresh instance. */
  wasm: Uint8Array;
  info: WasmInfo;
  /** Source frames by code address, filled as traps are explained (once per distinct address). */
  symbols: Map<number, SourceFrame[]>;
}

export type BuildResult =
  { kind: 'built'; program: Program; output: string; ms: number } | { kind: 'compile_error' | 'timeout' | 'memory_limit'; output: string; ms: number; error?: string };

/**
 * WASI calls whose results depend only on what the program was given (its stdin, and arguments
 * and environment, which are fixed): no clock, no randomness, no waiting.
 */
const INPUT_DETERMINED_CALLS = new Set([
  'fd_read',
  'fd_write',
  'fd_seek',
  'fd_tell',
  'fd_close',
  'fd_fdstat_get',
  'fd_fdstat_set_flags',
  'fd_filestat_get',
  'fd_prestat_get',
  'fd_prestat_dir_name',
  'args_get',
  'args_sizes_get',
  'environ_get',
  'environ_sizes_get',
  'proc_exit',
]);

/** True when every run of this module on one input behaves the same (its imports cannot differ). */
export function isInputDetermined(info: WasmInfo): boolean {
  return info.imports.every((entry) => entry.name.startsWith(`${WASI_MODULE}.`) && INPUT_DETERMINED_CALLS.has(entry.name.slice(WASI_MODULE.length + 1)));
}

/** Why the sandbox could not run this module, or undefined when it can. */
function refuseModule(info: WasmInfo, limits: RunnerLimits): BuildResult['kind'] | string | undefined {
  // The sandbox has no memory limit of its own: refuse any module that could grow past ours.
  if (info.memoryImported || info.memoryMaxBytes === null || info.memoryMaxBytes > limits.memoryBytes) return 'memory_limit';
  // Only WASI functions: nothing else of the host is the program's to call.
  const foreign = info.imports.find((entry) => !entry.name.startsWith(`${WASI_MODULE}.`) || entry.kind !== 0);
  if (foreign) return `the program imports ${foreign.name}, which the sandbox does not provide`;
  return undefined;
}

/**
 * Compiles the candidate's source (or several sources, by file name) and links it with prebuilt
 * `objects` (by file name).
 */
export async function build(
  compiler: Compiler,
  limits: RunnerLimits,
  source: string | Record<string, string>,
  objects: Record<string, Uint8Array>,
  headers: Record<string, string> = {},
): Promise<BuildResult> {
  const sources = typeof source === 'string' ? { [CANDIDATE_FILE]: source } : source;
  const files: FileTree = { ...sources, ...objects, include: { ...headers } };
  const args = ['clang', ...compileFlags(), ...FUEL_FLAGS, ...Object.keys(sources), ...Object.keys(objects), '-o', OUTPUT_FILE, ...linkFlags(limits)];
  const compiled = await compiler.compile(args, files, OUTPUT_FILE, limits.compileMs);
  if (compiled.kind === 'timeout') {
    return { kind: 'timeout', output: compiled.output, ms: compiled.ms, error: `compilation took longer than ${limits.compileMs} ms and was stopped` };
  }
  if (compiled.kind === 'failed') return { kind: 'compile_error', output: compiled.output, ms: compiled.ms };
  const info = readWasmInfo(compiled.wasm);
  const refusal = refuseModule(info, limits);
  if (refusal === 'memory_limit') {
    return { kind: 'memory_limit', output: compiled.output, ms: compiled.ms, error: 'the compiled program does not declare a memory maximum within the limit' };
  }
  if (refusal) return { kind: 'compile_error', output: compiled.output, ms: compiled.ms, error: refusal };
  return { kind: 'built', program: { wasm: compiled.wasm, info, symbols: new Map() }, output: compiled.output, ms: compiled.ms };
}

export interface Execution extends ProgramOutcome {
  fault?: Fault & { file?: string };
  /** An allocation failed at the memory limit during this run. */
  outOfMemory: boolean;
  /** What ended a `timeout`: the step budget, or the wall clock (confirmed by a second run). */
  timeoutBy?: 'fuel' | 'wall';
  /** Steps used, when the run was measured. */
  fuelUsed?: number;
}

/** One run of a program: its stdin and its step budget (fuel.ts). */
export interface CaseInput {
  stdin: string;
  fuel: number;
}

export interface ExecuteOptions {
  /** The candidate's own files, for placing a fault (several for a console run). */
  ownFiles?: readonly string[];
  /** Input indices in the order to start them. */
  order?: readonly number[];
  /** The runs report the steps they used (the reference's, to derive the cases' budgets). */
  measureFuel?: boolean;
  /** Wall-clock limit per run instead of the one its budget implies (fuel.ts wallMs). */
  runMs?: number;
  /** Run a wall-clock timeout again before it counts (default true; a grade's verdicts need it). */
  confirm?: boolean;
  /** Runs at once, when not `limits.caseLanes`. */
  caseLanes?: number;
}

/** A wall-clock timeout is run again alone with this many times the limit before it counts. */
const CONFIRM_FACTOR = 3;

/** Code addresses (as llvm-symbolizer counts them) of a trap's wasm frames. */
function trapAddresses(program: Program, outcome: ProgramOutcome): number[] {
  return parseWasmFrames(outcome.trapMessage ?? '').map((frame) => frame.offset - program.info.codeOffset);
}

/**
 * Symbolizes trap addresses in the compiler's thread while the sandbox goes on running cases:
 * the first trap starts a call, addresses found while it runs go in one call after it, and an
 * address the program has seen before is never asked again. So a program that crashes the same
 * way in every case is symbolized once, and mostly while its other cases run.
 */
class TrapSymbolizer {
  private readonly waiting = new Set<number>();
  /** Addresses asked for already (answered or on their way). */
  private readonly asked = new Set<number>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly compiler: Symbolizer,
    private readonly program: Program,
  ) {}

  add(outcome: ProgramOutcome): void {
    if (outcome.kind !== 'trapped') return;
    for (const address of trapAddresses(this.program, outcome)) {
      if (!this.program.symbols.has(address) && !this.asked.has(address)) this.waiting.add(address);
    }
    // (drain() awaits before it clears `running`, so this never keeps a finished one.)
    if (this.waiting.size > 0 && !this.running) this.running = this.drain();
  }

  /** Resolves once every address added so far is symbolized (or could not be). */
  async done(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.size > 0) {
        const addresses = [...this.waiting];
        this.waiting.clear();
        for (const address of addresses) this.asked.add(address);
        await this.symbolize(addresses);
      }
    } finally {
      this.running = undefined;
    }
  }

  private async symbolize(addresses: number[]): Promise<void> {
    try {
      const symbolized = (await this.compiler.symbolize(this.program.wasm, addresses)) as Array<{ Symbol?: SourceFrame[] }>;
      addresses.forEach((address, index) => this.program.symbols.set(address, symbolized[index]?.Symbol ?? []));
    } catch {
      // Without debug info we still know the kind and the function; a later run may try again.
    }
  }
}

async function explain(
  program: Program,
  limits: RunnerLimits,
  outcome: ProgramOutcome & Pick<Execution, 'timeoutBy' | 'fuelUsed'>,
  ownFiles: readonly string[],
): Promise<Execution> {
  const outOfMemory = outcome.stderr.includes(OUT_OF_MEMORY_MARKER);
  if (outcome.kind !== 'trapped') return { ...outcome, outOfMemory };
  const fault = await classifyFault({
    trapMessage: outcome.trapMessage ?? '',
    stderr: outcome.stderr,
    stackBytes: limits.stackBytes,
    memoryBytes: limits.memoryBytes,
    candidateFile: ownFiles[0] ?? CANDIDATE_FILE,
    ...(ownFiles.length > 1 ? { otherFiles: ownFiles.slice(1) } : {}),
    locate: async (frames) => frames.map((frame) => program.symbols.get(frame.offset - program.info.codeOffset) ?? []),
  });
  return { ...outcome, fault, outOfMemory };
}

/** A fuel trap becomes a timeout; a measured run's report leaves its stderr. */
function settle(outcome: ProgramOutcome, measured: boolean): ProgramOutcome & Pick<Execution, 'timeoutBy' | 'fuelUsed'> {
  let settled: ProgramOutcome & Pick<Execution, 'timeoutBy' | 'fuelUsed'> = outcome;
  if (ranOutOfFuel(outcome)) settled = { ...fuelTimeout(outcome), timeoutBy: 'fuel' };
  else if (outcome.kind === 'timeout') settled = { ...outcome, timeoutBy: 'wall' };
  const report = measured ? takeFuelReport(settled.stderr) : undefined;
  return report ? { ...settled, stderr: report.stderr, fuelUsed: report.fuel } : settled;
}

/**
 * Runs the program once per input (a sandbox instance each, started in `order` when given) and
 * explains every fault; the executions are in input order. A run stopped by the wall clock rather
 * than by its budget may have been slowed by the machine's load: it is run once more, alone and
 * with three times the limit, before its timeout counts. Once such a second run times out too
 * (the program spins where fuel does not count), the remaining ones stand without a second run.
 */
export async function executeAll(
  compiler: Symbolizer,
  sandbox: ProgramRunner,
  limits: RunnerLimits,
  program: Program,
  inputs: readonly CaseInput[],
  options: ExecuteOptions = {},
): Promise<Execution[]> {
  const measured = options.measureFuel === true;
  const runInputs = inputs.map((input) => fueledInput(input.stdin, input.fuel, limits, { measure: measured, runMs: options.runMs }));
  const symbolizer = new TrapSymbolizer(compiler, program);
  const lanes = { ...limits, caseLanes: options.caseLanes ?? limits.caseLanes };
  const first = await sandbox.runAll(program, runInputs, lanes, (outcome) => symbolizer.add(settle(outcome, measured)), options.order);
  const outcomes = first.map((outcome) => settle(outcome, measured));
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.timeoutBy !== 'wall' || options.confirm === false) continue;
    const input = runInputs[index]!;
    const again = settle(await sandbox.run(program, { ...input, runMs: (input.runMs ?? limits.runMs) * CONFIRM_FACTOR }, limits), measured);
    symbolizer.add(again);
    outcomes[index] = again;
    if (again.timeoutBy === 'wall') break;
  }
  await symbolizer.done();
  const ownFiles = options.ownFiles ?? [CANDIDATE_FILE];
  return Promise.all(outcomes.map((outcome) => explain(program, limits, outcome, ownFiles)));
}

export async function execute(
  compiler: Symbolizer,
  sandbox: ProgramRunner,
  limits: RunnerLimits,
  program: Program,
  input: CaseInput,
  options: Omit<ExecuteOptions, 'order'> = {},
): Promise<Execution> {
  return (await executeAll(compiler, sandbox, limits, program, [input], options))[0]!;
}
