// Proves that an exercise's tests bite: the reference passes every case, the starter compiles and
// fails at least one, every wrong/*.c compiles and fails at least one hidden case, and the
// interviewer's guide is there. Also that a student who submits learns what each hidden case
// tests: every one has an explanation, which does not quote its input.
import type { GradeResult } from '../../../common/exercise.ts';
import type { Runner } from '../runner/index.ts';
import type { Exercise } from './types.ts';

export interface CheckFinding {
  exercise: string;
  subject: string;
  ok: boolean;
  detail: string;
}

function summary(result: GradeResult): string {
  if (result.status !== 'ok') return `${result.status}${result.error ? `: ${result.error}` : ''}`;
  const hidden = result.cases.filter((c) => !c.visible);
  const hiddenPassed = hidden.filter((c) => c.status === 'pass').length;
  return `${result.passed}/${result.total} passed (hidden ${hiddenPassed}/${hidden.length})`;
}

function failures(result: GradeResult): string {
  const failed = result.cases.filter((c) => c.status !== 'pass').map((c) => `${c.name} (${c.status})`);
  return failed.length ? `; failing: ${failed.join(', ')}` : '';
}

/** Input lines this long or longer are distinctive enough that an explanation quoting one leaks it. */
const QUOTED_LINE_CHARS = 12;

/** Problems with the hidden cases' explanations (tests/cases.json `explain`); empty when all is well. */
export function explanationProblems(exercise: Exercise): string[] {
  const problems: string[] = [];
  for (const c of exercise.cases.filter((x) => !x.visible)) {
    const explain = c.explain;
    if (!explain) {
      problems.push(`"${c.name}" has no explanation`);
      continue;
    }
    const quoted = c.input.split('\n').map((line) => line.trim()).find((line) => line.length >= QUOTED_LINE_CHARS && explain.includes(line));
    if (quoted !== undefined) problems.push(`"${c.name}": the explanation quotes its input ("${quoted}")`);
  }
  return problems;
}

export async function checkExercise(runner: Runner, exercise: Exercise): Promise<CheckFinding[]> {
  const finding = (subject: string, ok: boolean, detail: string): CheckFinding => ({ exercise: exercise.slug, subject, ok, detail });
  const [reference, starter, ...wrong] = await Promise.all([
    runner.grade(exercise, exercise.solution),
    runner.grade(exercise, exercise.starter),
    ...Object.values(exercise.wrong).map((source) => runner.grade(exercise, source)),
  ]);
  const findings: CheckFinding[] = [
    finding('solution.c', reference!.status === 'ok' && reference!.passed === reference!.total, summary(reference!) + failures(reference!)),
    finding('starter.c', starter!.status === 'ok' && starter!.passed < starter!.total, summary(starter!) + (starter!.status === 'ok' ? '' : ' (must compile)')),
  ];
  // Interviews need the mentor's guide (load.ts checks its sections when it is there).
  findings.push(finding('GUIDE.md', exercise.guide !== null, exercise.guide !== null ? 'interviewer guide present' : "missing: the interviewer's guide (what to watch for, follow-up questions, common mistakes)"));
  // Reported only when something is missing, so a clean exercise lists what was graded.
  const explanations = explanationProblems(exercise);
  if (explanations.length > 0) findings.push(finding('tests/cases.json', false, `hidden cases need an explanation that does not quote the input: ${explanations.join('; ')}`));
  const wrongNames = Object.keys(exercise.wrong);
  if (wrongNames.length < 3) findings.push(finding('wrong/', false, `${wrongNames.length} wrong solutions; at least 3 are required`));
  wrongNames.forEach((name, index) => {
    const result = wrong[index]!;
    const failsHidden = result.cases.some((c) => !c.visible && c.status !== 'pass');
    const detail = summary(result) + (result.status === 'ok' ? (failsHidden ? '' : ' (must fail a hidden case)') : ' (must compile)');
    findings.push(finding(`wrong/${name}`, result.status === 'ok' && failsHidden, detail));
  });
  return findings;
}
