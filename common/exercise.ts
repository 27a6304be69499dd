// Types shared by the runner, the server and the browser. No runtime dependencies.

export type Difficulty = 'easy' | 'medium' | 'hard';

/** What anyone in a session may see of an exercise: no reference solution, no hidden tests. */
export interface PublicExercise {
  slug: string;
  title: string;
  summary: string;
  minutes: number;
  difficulty: Difficulty;
  tags: string[];
  isDefault: boolean;
  /** Markdown statement (render it sanitized). */
  statement: string;
  starter: string;
  /** Public headers the candidate's file may include, by file name. */
  headers: Record<string, string>;
  /** How many practice hints the exercise has (their text comes one at a time, on request). */
  hints: number;
  /** Number of test cases, visible and hidden. */
  visibleCases: number;
  hiddenCases: number;
}

export type Severity = 'error' | 'warning' | 'note';

/** One compiler message, positioned in the candidate's file (1-based), ready to be an editor marker. */
export interface Diagnostic {
  line: number;
  column: number;
  severity: Severity;
  message: string;
}

export type FaultKind =
  | 'undefined_behavior'
  | 'null_dereference'
  | 'signed_overflow'
  | 'divide_by_zero'
  | 'out_of_bounds'
  | 'stack_overflow'
  | 'abort'
  | 'assertion_failed'
  | 'memory_exhausted'
  | 'trap';

/** Why a program stopped abnormally, explained for a person reading the results. */
export interface Fault {
  kind: FaultKind;
  /** One sentence a candidate can act on. */
  message: string;
  /** The innermost function of the candidate's code involved, where known. */
  function?: string;
  /** Line in the candidate's file, where the debug info allows it. */
  line?: number;
}

/** Every status a run can end with (a list, so that stored data can be checked against it). */
export const RUN_STATUSES = ['ok', 'compile_error', 'runtime_error', 'timeout', 'memory_limit', 'output_limit', 'rejected'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunTimings {
  compileMs: number;
  runMs: number;
}

/** Result of compiling and running one stand-alone program. */
export interface RunResult {
  status: RunStatus;
  /** Exit status when the program exited by itself; null after a trap or a kill. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  diagnostics: Diagnostic[];
  /** Raw compiler and linker output, for people. */
  compilerOutput: string;
  fault?: Fault;
  /** Set when status is 'rejected' (input refused before compiling). */
  error?: string;
  timings: RunTimings;
}

export type CaseStatus = 'pass' | 'fail' | 'compile_error' | 'runtime_error' | 'timeout' | 'memory_limit' | 'output_limit';

export interface CaseResult {
  name: string;
  visible: boolean;
  status: CaseStatus;
  /** Absent on a hidden case sent to a role without 'see:hidden' (common/redact.ts says why). */
  timeMs?: number;
  fault?: Fault;
  /** Visible cases that passed: what the program wrote to stderr (debugging output, never compared). */
  stderr?: string;
  /**
   * Failing cases: a readable expected-vs-actual diff, and for visible cases what the case fed the
   * program. A hidden case's detail has no input (it never leaves the server) and reaches only
   * roles with 'see:hidden' (common/redact.ts).
   */
  detail?: {
    input?: string;
    expected: string;
    actual: string;
    diff: string;
    stderr: string;
  };
}

export type GradeStatus = 'ok' | 'compile_error' | 'rejected';

export interface GradeResult {
  status: GradeStatus;
  passed: number;
  total: number;
  cases: CaseResult[];
  diagnostics: Diagnostic[];
  compilerOutput: string;
  error?: string;
  timings: { compileMs: number; runMs: number };
}
