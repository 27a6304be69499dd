// What a role may see of a graded run: one rule, applied wherever a run leaves the server (room
// events, run history on join, replay, report, export, "test this moment"). The candidate's program
// reads a hidden case's input and can write it anywhere it writes: stdout, stderr, an "Assertion
// failed:" line that becomes the fault's message, the line and function it crashes in, its exit
// code, how long it takes. So for a role without 'see:hidden' (common/policy.ts) a hidden case is
// its name and status, nothing else. No runtime dependencies.
import type { CaseResult, Fault, GradeResult } from './exercise.ts';

function copyFault(f: Fault): Fault {
  const out: Fault = { kind: f.kind, message: f.message };
  if (f.function !== undefined) out.function = f.function;
  if (f.line !== undefined) out.line = f.line;
  return out;
}

/**
 * The case as a role with (`seesHidden`) or without 'see:hidden' may see it. Fields are copied one
 * by one, so nothing added to CaseResult later rides along unnoticed.
 *
 * Time is dropped too: a program can sleep for a time computed from its input, and a per-case time
 * in milliseconds would carry several bits of every hidden case on every run. The status alone
 * ('fail', 'timeout', ...) is the case's result, which the role is meant to have. (What remains is
 * how long the whole run took to come back, one number per run blurred by the queue and the
 * compile: not worth padding every run to its limit for.)
 */
export function visibleCase(c: CaseResult, seesHidden: boolean): CaseResult {
  const out: CaseResult = { name: c.name, visible: c.visible, status: c.status };
  if (!c.visible && !seesHidden) return out;
  if (c.timeMs !== undefined) out.timeMs = c.timeMs;
  if (c.fault) out.fault = copyFault(c.fault);
  if (c.stderr !== undefined) out.stderr = c.stderr;
  if (c.detail) out.detail = { ...c.detail };
  return out;
}

/** A whole grade, every case through visibleCase; the total run time then counts only what is shown. */
export function visibleGrade(r: GradeResult, seesHidden: boolean): GradeResult {
  const cases = r.cases.map((c) => visibleCase(c, seesHidden));
  const runMs = seesHidden ? r.timings.runMs : cases.reduce((sum, c) => sum + (c.timeMs ?? 0), 0);
  const out: GradeResult = {
    status: r.status,
    passed: r.passed,
    total: r.total,
    cases,
    diagnostics: r.diagnostics.map((d) => ({ ...d })),
    compilerOutput: r.compilerOutput,
    timings: { compileMs: r.timings.compileMs, runMs },
  };
  if (r.error !== undefined) out.error = r.error;
  return out;
}
