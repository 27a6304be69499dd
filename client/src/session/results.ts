// Pure view-model for a run's results. Redaction is the server's job; this only makes sure the
// browser never *displays* a hidden case to a candidate or observer, even if one slipped through.
import type { CaseResult, CaseStatus, Fault } from '../../../common/exercise.ts';
import type { Role, RunView } from '../../../common/protocol.ts';

export const CASE_STATUS_LABEL: Record<CaseStatus, string> = {
  pass: 'Passed',
  fail: 'Wrong answer',
  compile_error: 'Compile error',
  runtime_error: 'Runtime error',
  timeout: 'Time limit exceeded',
  memory_limit: 'Memory limit exceeded',
  output_limit: 'Output limit exceeded',
};

export interface CaseRow {
  name: string;
  status: CaseStatus;
  statusLabel: string;
  timeLabel: string;
  ok: boolean;
  hidden: boolean;
  fault?: Fault;
  /** Cases that did not pass: visible ones, and hidden ones for mentors (never their input). */
  detail?: NonNullable<CaseResult['detail']>;
  /** A passing visible case's stderr (debugging output; a failing case has it in detail). */
  stderr?: string;
}

export type Tone = 'pass' | 'fail' | 'error';

export interface RunSummary {
  headline: string;
  tone: Tone;
  rows: CaseRow[];
  /** e.g. "Hidden tests: 3 of 5 passed" for candidates; undefined when there are none. */
  hiddenNote?: string;
  compilerOutput: string;
}

/** '' when the time is not known (a hidden case's time is not sent to candidates: common/redact.ts). */
export function formatCaseTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function summarizeRun(run: RunView, role: Role): RunSummary {
  // Mentors see hidden cases; a practice attempt's final grading names them (status only).
  const seesHidden = role === 'mentor' || run.hiddenRevealed === true;
  const rows: CaseRow[] = run.cases
    .filter((c) => seesHidden || c.visible)
    .map((c) => {
      const ok = c.status === 'pass';
      const row: CaseRow = {
        name: c.name,
        status: c.status,
        statusLabel: CASE_STATUS_LABEL[c.status] ?? c.status,
        timeLabel: formatCaseTime(c.timeMs),
        ok,
        hidden: !c.visible,
      };
      if (c.fault) row.fault = c.fault;
      if (!ok && c.detail && (c.visible || role === 'mentor')) row.detail = c.detail;
      if (ok && c.stderr && (c.visible || role === 'mentor')) row.stderr = c.stderr;
      return row;
    });

  // When nothing was built every case says "compile error": the diagnostics tell the story.
  const built = run.status === 'ok';
  if (!built) rows.length = 0;

  let hiddenNote: string | undefined;
  if (built && !seesHidden && run.hiddenTotal !== undefined && run.hiddenTotal > 0) {
    hiddenNote = `Hidden tests: ${run.hiddenPassed ?? 0} of ${run.hiddenTotal} passed`;
  }

  let headline: string;
  let tone: Tone;
  if (run.status === 'compile_error') {
    headline = 'Compilation failed';
    tone = 'error';
  } else if (run.status === 'rejected') {
    headline = run.error ? `Submission rejected: ${run.error}` : 'Submission rejected';
    tone = 'error';
  } else {
    headline = `${run.passed} / ${run.total} tests passed`;
    tone = run.total > 0 && run.passed === run.total ? 'pass' : 'fail';
  }
  if (run.kind === 'final') headline = `Final: ${headline}`;

  return { headline, tone, rows, hiddenNote, compilerOutput: run.compilerOutput };
}
