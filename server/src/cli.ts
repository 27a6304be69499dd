// Command line for exercise authors and scripts: run a C file, grade it against an exercise, or
// check that every exercise's tests bite (and, with --mutants, how hard). `--json` prints one JSON
// object on stdout.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Diagnostic, GradeResult, RunResult } from '../../common/exercise.ts';
import { checkExercise } from './exercises/check.ts';
import { EXERCISES_DIR, loadExercise, loadExercises } from './exercises/load.ts';
import type { Exercise } from './exercises/types.ts';
import { createRunner, type Runner, type RunnerLimits } from './runner/index.ts';

const USAGE = `usage:
  npm run --silent cli -- run FILE.c [--stdin FILE] [--json]   compile and run a program with its own main
  npm run --silent cli -- grade SLUG FILE.c [--json]           grade a candidate's file against an exercise
  npm run --silent cli -- check [SLUG...] [--json]             prove each exercise's tests bite
  npm run --silent cli -- check [SLUG...] --mutants [--min-score PERCENT] [--json]
                                                               mutation score of each exercise's tests (default minimum 90)`;

class UsageError extends Error {}

// An exercise folder name; anything else (a path, `..`) is not a slug.
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

async function readInput(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${what} ${file}`);
  }
}

function formatDiagnostics(diagnostics: Diagnostic[], file: string): string[] {
  return diagnostics.map((d) => `${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
}

function printRun(result: RunResult, file: string): void {
  const lines = [`status: ${result.status}${result.error ? ` (${result.error})` : ''}`];
  if (result.fault) {
    const where = [result.fault.function && `in ${result.fault.function}()`, result.fault.line && `at line ${result.fault.line}`].filter(Boolean).join(' ');
    lines.push(`fault: ${result.fault.kind}: ${result.fault.message}${where ? ` ${where}` : ''}`);
  }
  lines.push(`exit code: ${result.exitCode ?? '-'}`, `compile ${result.timings.compileMs} ms, run ${result.timings.runMs} ms`);
  lines.push(...formatDiagnostics(result.diagnostics, file));
  if (result.stdout) lines.push('--- stdout ---', result.stdout.replace(/\n$/, '') + (result.stdoutTruncated ? '\n[truncated]' : ''));
  if (result.stderr) lines.push('--- stderr ---', result.stderr.replace(/\n$/, '') + (result.stderrTruncated ? '\n[truncated]' : ''));
  console.log(lines.join('\n'));
}

function printGrade(result: GradeResult, file: string): void {
  const lines = [`status: ${result.status}${result.error ? ` (${result.error})` : ''}`, `passed: ${result.passed}/${result.total}`];
  lines.push(...formatDiagnostics(result.diagnostics, file));
  for (const c of result.cases) {
    const fault = c.fault ? ` - ${c.fault.message}${c.fault.line ? ` (line ${c.fault.line})` : ''}` : '';
    lines.push(`  ${c.status === 'pass' ? 'ok  ' : 'FAIL'} ${c.visible ? 'visible' : 'hidden '} ${c.name}: ${c.status} ${c.timeMs} ms${fault}`);
    if (c.detail && c.status === 'fail') lines.push(c.detail.diff.replace(/^/gm, '         '));
  }
  console.log(lines.join('\n'));
}

async function withRunner<T>(json: boolean, work: (runner: Runner) => Promise<T>, limits: Partial<RunnerLimits> = {}): Promise<T> {
  const log = json ? undefined : { info: (message: string) => console.error(message) };
  const runner = createRunner({ log, limits });
  try {
    return await work(runner);
  } finally {
    await runner.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      stdin: { type: 'string' },
      mutants: { type: 'boolean', default: false },
      'min-score': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  const json = values.json ?? false;
  if (!values.mutants && values['min-score'] !== undefined) throw new UsageError('--min-score needs --mutants');
  if (values.mutants && command !== 'check') throw new UsageError('--mutants is an option of check');
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'run' && rest.length === 1) {
    const file = rest[0]!;
    const source = await readInput(file, 'source file');
    const stdin = values.stdin === undefined ? '' : await readInput(values.stdin, 'stdin file');
    const result = await withRunner(json, (runner) => runner.run(source, { stdin }));
    if (json) console.log(JSON.stringify(result));
    else printRun(result, path.basename(file));
    return 0;
  }
  if (command === 'grade' && rest.length === 2 && values.stdin === undefined) {
    const [slug, file] = rest as [string, string];
    const catalog = await loadExercises(EXERCISES_DIR);
    const exercise = catalog.get(slug);
    if (!exercise)
      throw new UsageError(
        `unknown exercise "${slug}"; known: ${catalog
          .list()
          .map((e) => e.slug)
          .join(', ')}`,
      );
    const source = await readInput(file, 'source file');
    const result = await withRunner(json, (runner) => runner.grade(exercise, source));
    if (json) console.log(JSON.stringify(result));
    else printGrade(result, path.basename(file));
    return 0;
  }
  if (command === 'check' && values.stdin === undefined) {
    const chosen = rest.length ? await loadNamed(rest) : (await loadExercises(EXERCISES_DIR)).list();
    if (values.mutants) return checkMutants(chosen, json, parseMinScore(values['min-score']));
    // One exercise at a time: each grades its reference, starter and wrong solutions at once,
    // which stays well inside the runner's queue however many exercises there are.
    const findings = await withRunner(json, async (runner) => {
      const all = [];
      for (const e of chosen) all.push(...(await checkExercise(runner, e)));
      return all;
    });
    const ok = findings.every((f) => f.ok);
    if (json) console.log(JSON.stringify({ ok, findings }));
    else {
      for (const f of findings) console.log(`${f.ok ? 'ok  ' : 'FAIL'} ${f.exercise} ${f.subject}: ${f.detail}`);
      console.log(`${findings.filter((f) => f.ok).length} passed, ${findings.filter((f) => !f.ok).length} failed`);
    }
    return ok ? 0 : 1;
  }
  throw new UsageError(command ? `bad arguments for "${command}"` : 'no command given');
}

/**
 * Only the exercises named, so that an author can check one while another exercise in the folder
 * is still half written.
 */
async function loadNamed(slugs: string[]): Promise<Exercise[]> {
  const dirs = slugs.map((slug) => ({ slug, dir: path.join(EXERCISES_DIR, slug) }));
  const unknown = [];
  for (const { slug, dir } of dirs) {
    if (
      !SLUG.test(slug) ||
      !(await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      ))
    )
      unknown.push(slug);
  }
  if (unknown.length) throw new UsageError(`unknown exercise ${unknown.join(', ')}`);
  return Promise.all(dirs.map(({ dir }) => loadExercise(dir)));
}

/** `--min-score 85` or `85%` -> 0.85. */
function parseMinScore(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text.endsWith('%') ? text.slice(0, -1) : text);
  if (!Number.isFinite(value) || value < 0 || value > 100) throw new UsageError(`--min-score must be a percentage from 0 to 100, got "${text}"`);
  return value / 100;
}

// Loaded only for --mutants, so that the plain check (part of npm test) does not load a C parser.
async function checkMutants(exercises: Exercise[], json: boolean, minScore: number | undefined): Promise<number> {
  const { MUTANT_LIMITS, ObjectComparer, testMutants } = await import('./exercises/mutants.ts');
  const { formatReport, formatTable } = await import('./exercises/mutants-report.ts');
  const comparer = new ObjectComparer();
  try {
    const reports = await withRunner(
      json,
      async (runner) => {
        const done = [];
        // One exercise at a time: each already keeps every compiler of the runner busy.
        for (const exercise of exercises) {
          const onGraded = json
            ? undefined
            : (graded: number, total: number) => {
                if (graded % 50 === 0 || graded === total) console.error(`${exercise.slug}: ${graded}/${total} mutants graded`);
              };
          const report = await testMutants(runner, exercise, { minScore, comparer, onGraded });
          if (!json) console.log(formatReport(report) + '\n');
          done.push(report);
        }
        return done;
      },
      MUTANT_LIMITS,
    );
    const ok = reports.every((r) => r.ok);
    if (json) console.log(JSON.stringify({ ok, exercises: reports }));
    else console.log(formatTable(reports));
    return ok ? 0 : 1;
  } finally {
    await comparer.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
