// The scratch console: a second shared file with its own main(), compiled with the solution and run
// with stdin the person types. Shared by the server (which runs it) and the room and replay pages.
import type { Diagnostic, Fault, RunStatus, RunTimings } from './exercise.ts';

/** The scratch file's Y.Text, in the same Y.Doc as the solution (DOC_TEXT). */
export const SCRATCH_TEXT = 'scratch';

/** The file names a console run compiles, as people see them in messages. */
export const SOLUTION_FILE = 'solution.c';
export const SCRATCH_FILE = 'scratch.c';
export type ConsoleFile = typeof SOLUTION_FILE | typeof SCRATCH_FILE;

/** Largest stdin a console run accepts (UTF-8 bytes). */
export const CONSOLE_STDIN_BYTES = 64 * 1024;

/** How much of stdin, stdout and stderr the session timeline keeps per console run (characters). */
export const CONSOLE_EVENT_TEXT = 1_000;

/** Console runs recorded per session; more are refused, so the timeline (and exports) stay bounded. */
export const CONSOLE_RUNS_PER_SESSION = 2_000;

/** A compiler message in one of the two files. */
export interface ConsoleDiagnostic extends Diagnostic {
  file: ConsoleFile;
}

/** The result of a console run, sent to everyone in the session ('console:result'). */
export interface ConsoleRunView {
  id: string;
  /** Display name of who ran it, and their participant id. */
  requestedBy: string;
  participantId: string;
  at: number;
  stdin: string;
  status: RunStatus;
  /** Exit status when the program exited by itself; null after a trap, a kill or no run. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  diagnostics: ConsoleDiagnostic[];
  compilerOutput: string;
  /** Why the program stopped abnormally; `file` and `line` say where, when known. */
  fault?: Fault & { file?: ConsoleFile };
  /** Why the run was refused or stopped (status 'rejected' or 'timeout' while compiling). */
  error?: string;
  timings: RunTimings;
  /**
   * Rebuilt from the timeline (ConsoleEventData) for someone who joined after the run on a node
   * that did not run it: each text only as far as the record keeps it, no compiler messages.
   */
  recorded?: true;
}

/** What the session timeline records of a console run (TimelineEvent.data for type 'console'). */
export interface ConsoleEventData {
  runId: string;
  status: RunStatus;
  exitCode: number | null;
  /** The first CONSOLE_EVENT_TEXT characters of each, and the full lengths. */
  stdin: string;
  stdinChars: number;
  stdout: string;
  stdoutChars: number;
  stdoutTruncated: boolean;
  stderr: string;
  stderrChars: number;
  stderrTruncated: boolean;
  /** Compile errors in the two files. */
  errors: number;
  /** The fault explained, with its file and line where known; null when none. */
  fault: string | null;
  /** Compile plus run time. */
  ms: number;
}
