// What the runner core needs from its host, and nothing more: a compiler (clang in WebAssembly)
// that also symbolizes code addresses, a sandbox that runs a WASI module, a hash for cache keys
// and a clock. The Node host implements them with worker threads and node:crypto (the files
// beside core/); a browser host can do the same with Web Workers without touching the core.

export type FileTree = { [name: string]: FileTree | string | Uint8Array };

export type CompileOutcome =
  { kind: 'compiled'; wasm: Uint8Array; output: string; ms: number } | { kind: 'failed'; output: string; ms: number } | { kind: 'timeout'; output: string; ms: number };

export interface Logger {
  info(message: string): void;
}

/** Source locations of code addresses, for explaining a trap. */
export interface Symbolizer {
  /** llvm-symbolizer over code addresses of a module built with -g; returns its JSON output. */
  symbolize(wasm: Uint8Array, addresses: number[]): Promise<unknown>;
}

/** A compiler checked out of the pool for the length of one job. */
export interface Compiler extends Symbolizer {
  /** Runs clang (or wasm-ld through it) with `args` over `files`, and returns the file `output`. */
  compile(args: string[], files: FileTree, output: string, timeoutMs: number): Promise<CompileOutcome>;
}

/** Calls made to the compilers, for logs, benchmarks and tests. */
export interface CompilerCounters {
  compiles: number;
  symbolizes: number;
}

/** Warm compilers, one job at a time each. */
export interface CompilerPort {
  /**
   * Run `job` with a compiler of its own. Background jobs (start-up warming) wait until no
   * ordinary job is waiting.
   */
  use<T>(job: (compiler: Compiler) => Promise<T>, options?: { background?: boolean }): Promise<T>;
  /** Resolves once every compiler has loaded and warmed up. */
  ready(): Promise<void>;
  close(): Promise<void>;
  readonly counters: CompilerCounters;
  /** Compilers replaced after a compile passed its limit (or died). */
  readonly restarts: number;
}

export type ExitKind = 'exited' | 'trapped' | 'timeout' | 'output_limit';

export interface ProgramOutcome {
  kind: ExitKind;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The engine's message for a trap (carries the wasm stack trace). */
  trapMessage?: string;
  ms: number;
}

export interface RunLimits {
  runMs: number;
  outputBytes: number;
}

/** A module to run; the host may keep it loaded between runs (by its bytes), never an instance. */
export interface SandboxProgram {
  wasm: Uint8Array;
}

/** One run: the program's stdin and environment, and its own wall-clock limit if it has one. */
export interface RunInput {
  stdin: string;
  env?: Record<string, string>;
  runMs?: number;
}

/** Runs a WASI module with no network and no host files, in a fresh instance per run. */
export interface ProgramRunner {
  run(program: SandboxProgram, input: RunInput, limits: RunLimits): Promise<ProgramOutcome>;
  /**
   * One run per input, `caseLanes` at once, started in `order` (input indices; default: input
   * order); the outcomes in input order, `onOutcome` hearing of each as it ends. See runInLanes.
   */
  runAll(
    program: SandboxProgram,
    inputs: RunInput[],
    limits: RunLimits & { caseLanes: number },
    onOutcome?: (outcome: ProgramOutcome) => void,
    order?: readonly number[],
  ): Promise<ProgramOutcome[]>;
}

/** Counters for logs and /metrics. */
export interface SandboxCounters {
  runs: number;
  /** Runs stopped from outside because they passed their wall-clock limit or had to be killed. */
  terminations: number;
  /** Hosts of runs that died on their own (a crash of the runtime). */
  crashes: number;
}

/** The sandbox the runner owns: runs, plus what its statistics and shutdown need. */
export interface SandboxPort extends ProgramRunner {
  readonly counters: SandboxCounters;
  /** Hosts of runs in service. */
  readonly alive: number;
  /** Runs in progress. */
  readonly busy: number;
  close(): Promise<void>;
}

/**
 * SHA-256 of a string's UTF-8 bytes as lower-case hex. Synchronous because cache keys are taken
 * on synchronous paths (a grade answered from the cache never awaits); the host injects it.
 */
export type Hasher = (text: string) => string;

/** Milliseconds from a monotonic origin (performance.now() in Node and browsers). */
export interface Clock {
  now(): number;
}
