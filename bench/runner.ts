// `npm run bench -- runner [--rounds 20] [--first-rounds 3] [--room-rounds 20] [--hog-rounds 20] [--flood 20]`
// Cold start, warm compile and warm grade of each exercise, the cases users hit (first grade after
// a start, a crash in every case, a compile error, an identical re-run, the round trip in the room;
// runner-cases.ts), queue throughput and peak RSS; where clang-16 with wasi-libc is installed, the
// same compile and runs done by native clang as a reference. Ends with the targets, met or not.
import os from 'node:os';
import { EXERCISES_DIR, loadExercises } from '../server/src/exercises/load.ts';
import type { Exercise } from '../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../server/src/runner/index.ts';
import { longestFirst } from '../server/src/runner/core/lanes.ts';
import { floodFigures, runawayFigures } from './runner-runaway.ts';
import {
  BROKEN,
  NATIVE_CLANG,
  alternate,
  crashingRing,
  firstGrades,
  fresh,
  inBlocks,
  nativeAvailable,
  openNativeGrader,
  roomRoundTrips,
  timeRounds,
  timed,
} from './runner-cases.ts';
import { percentile, printTable } from './table.ts';

/** Warm grades per block when the runner and native clang take turns. */
const GRADE_BLOCK = 5;
const HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n';

function option(args: string[], name: string, fallback: number): number {
  const index = args.indexOf(name);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : '-');
const p50 = (values: number[]) => percentile(values, 50);
const p95 = (values: number[]) => percentile(values, 95);

/** A contender for the timing helpers: the time of one grade of the round's fresh variant of `source`. */
function gradeTimer(runner: Runner, exercise: Exercise, source: string): (round: number) => Promise<number> {
  return async (round) => (await timed(() => runner.grade(exercise, fresh(source, round))))[1];
}

async function throughput(runner: Runner, exercise: Exercise, callers: number, jobs: number): Promise<string[]> {
  let next = 0;
  const latencies: number[] = [];
  const [, wall] = await timed(() =>
    Promise.all(
      Array.from({ length: callers }, async () => {
        while (next < jobs) {
          const round = next++;
          const [, ms] = await timed(() => runner.grade(exercise, fresh(exercise.solution, round)));
          latencies.push(ms);
        }
      }),
    ),
  );
  return [`${callers} concurrent callers`, String(jobs), (jobs / (wall / 1000)).toFixed(2), percentile(latencies, 50).toFixed(0), percentile(latencies, 95).toFixed(0)];
}

export async function benchRunner(args: string[]): Promise<void> {
  const rounds = option(args, '--rounds', 20);
  const firstRounds = option(args, '--first-rounds', 3);
  const roomRounds = option(args, '--room-rounds', 20);
  const hogRounds = option(args, '--hog-rounds', 20);
  const floodAttempts = option(args, '--flood', 20);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const catalog = await loadExercises(EXERCISES_DIR);
  const ring = catalog.get('ring-buffer') ?? catalog.defaultExercise;
  const native = await nativeAvailable();
  const runner = createRunner({ warmUp: true });
  console.log(
    `runner bench: ${rounds} rounds, concurrency ${runner.limits.concurrency}, ${os.cpus().length} cores, Node ${process.version}; ` +
      `native ${native ? NATIVE_CLANG : 'not installed'}`,
  );
  const targets: string[][] = [];
  const target = (name: string, measured: string, goal: string, met: boolean | undefined) =>
    targets.push([name, measured, goal, met === undefined ? 'not measured' : met ? 'met' : 'NOT met']);
  try {
    const [, readyMs] = await timed(() => runner.ready());
    const [, warmMs] = await timed(() => runner.warm(catalog.list()));
    const compileMs: number[] = [];
    for (let round = 0; round < rounds; round++) compileMs.push((await runner.run(fresh(HELLO, round))).timings.compileMs);
    const rows: string[][] = [
      ['cold start (load clang, warm-up build on each compiler)', ms(readyMs), '', ''],
      [`all ${catalog.list().length} exercises prepared (drivers, reference outputs)`, ms(warmMs), '', ''],
      ['warm compile (hello world)', ms(p50(compileMs)), ms(p95(compileMs)), ''],
    ];

    // Warm grades, each against native clang-16 doing the same runs after the compile the
    // issue measured (-O1 -g, the runner's flags then), and after the runner's own flags. Each
    // side grades in blocks back to back, as a server does, each block after an uncounted grade;
    // the blocks take turns, so that a slow spell of the machine is shared. (Turns grade by grade
    // made the runner's grades up to a quarter slower in one run, with native clang's processes
    // and runs between every two of them.)
    const ratios: number[] = [];
    for (const exercise of catalog.list()) {
      // Native runs its cases in the order the runner does: the reference's slowest first.
      const order = longestFirst((await runner.grade(exercise, exercise.solution)).cases.map((c) => c.timeMs ?? 0));
      const graders = native ? await Promise.all([openNativeGrader(exercise, 'target', order), openNativeGrader(exercise, 'runner', order)]) : [];
      try {
        const compiles = graders.map(() => [] as number[]);
        const [times = [], ...nativeGrades] = await inBlocks(rounds, GRADE_BLOCK, [
          gradeTimer(runner, exercise, exercise.solution),
          ...graders.map((grader, index) => async (round: number) => {
            const timing = await grader.grade(fresh(exercise.solution, round));
            if (round >= 0) compiles[index]!.push(timing.compileMs);
            return timing.gradeMs;
          }),
        ]);
        const nativeTimes = nativeGrades.map((grade, index) => ({ grade, compile: compiles[index]! }));
        const [reference, sameFlags] = nativeTimes;
        const ratio = reference ? p50(times) / p50(reference.grade) : NaN;
        if (reference) ratios.push(ratio);
        rows.push([
          `warm grade ${exercise.slug} (${exercise.cases.length} cases)`,
          ms(p50(times)),
          ms(p95(times)),
          reference && sameFlags
            ? `${ratio.toFixed(2)}x (native -O1 ${ms(p50(reference.grade))}, its compile ${ms(p50(reference.compile))}; ` +
              `native with the runner's flags ${ms(p50(sameFlags.grade))} = ${(p50(times) / p50(sameFlags.grade)).toFixed(2)}x)`
            : '',
        ]);
      } finally {
        await Promise.all(graders.map((grader) => grader.close()));
      }
    }
    const worst = ratios.length ? Math.max(...ratios) : NaN;
    target(
      'warm grade vs native clang-16 -O1 (worst exercise)',
      ratios.length ? `${worst.toFixed(2)}x` : 'native: not installed',
      '<= 1.0x',
      ratios.length ? worst <= 1 : undefined,
    );

    // The cases users hit, on ring-buffer.
    const starterWarm = await timeRounds(rounds, gradeTimer(runner, ring, ring.starter));
    const crash = crashingRing(ring);
    const crashed = await runner.grade(ring, fresh(crash, 'check'));
    const crashedCases = crashed.cases.filter((c) => c.fault?.kind === 'null_dereference' && c.fault.line).length;
    const gradeTime = (source: string) => gradeTimer(runner, ring, source);
    // Passing and crashing grades take turns, so that a slow spell of the machine falls on both.
    const [passing = [], crashing = []] = await alternate(rounds, [gradeTime(ring.solution), gradeTime(crash)]);
    const nativeBrokenGrader = native ? await openNativeGrader(ring, 'runner') : undefined;
    const [broken = [], nativeBroken] = await alternate(rounds, [
      gradeTime(BROKEN(ring)),
      ...(nativeBrokenGrader ? [async (round: number) => (await nativeBrokenGrader.grade(fresh(BROKEN(ring), round))).compileMs] : []),
    ]).finally(() => nativeBrokenGrader?.close());
    const rerun: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const source = fresh(ring.starter, `rerun ${round}`);
      await runner.grade(ring, source);
      rerun.push((await timed(() => runner.grade(ring, source)))[1]);
    }
    const { first, startMs } = await firstGrades(catalog.list(), ring, firstRounds);
    const room = await roomRoundTrips(runner, ring, roomRounds);

    const firstRatio = p50(first) / p50(starterWarm);
    const crashRatio = p50(crashing) / p50(passing);
    rows.push(
      ['ring-buffer: warm grade of the starter', ms(p50(starterWarm)), ms(p95(starterWarm)), ''],
      [
        `ring-buffer: first grade of the starter after a start (${firstRounds} starts, ~${ms(p50(startMs))} ms each)`,
        ms(p50(first)),
        ms(p95(first)),
        `${firstRatio.toFixed(2)}x warm`,
      ],
      ['ring-buffer: passing grade (reference solution)', ms(p50(passing)), ms(p95(passing)), ''],
      [`ring-buffer: NULL dereference (${crashedCases}/${crashed.total} cases name it with its line)`, ms(p50(crashing)), ms(p95(crashing)), `${crashRatio.toFixed(2)}x passing`],
      ['ring-buffer: compile error', ms(p50(broken)), ms(p95(broken)), nativeBroken ? `${(p50(broken) / p50(nativeBroken)).toFixed(2)}x native (${ms(p50(nativeBroken))})` : ''],
      ['ring-buffer: identical re-run', ms(p50(rerun)), ms(p95(rerun)), ''],
      [`room: run:request -> run:result over socket.io (${roomRounds} edited runs)`, ms(p50(room)), ms(p95(room)), ''],
    );
    printTable(['measure', 'p50 ms', 'p95 ms', 'ratio'], rows);
    target('first grade after start / warm grade (ring-buffer starter)', `${firstRatio.toFixed(2)}x`, '<= 1.2x', firstRatio <= 1.2);
    target('all-crash grade / passing grade (ring-buffer)', `${crashRatio.toFixed(2)}x`, '<= 1.3x', crashRatio <= 1.3);
    target('identical re-run, p50', `${ms(p50(rerun))} ms`, '<= 30 ms', p50(rerun) <= 30);
    target('room round trip p50 / p95', `${ms(p50(room))} / ${ms(p95(room))} ms`, '<= 300 / 600 ms', p50(room) <= 300 && p95(room) <= 600);

    const runaway = await runawayFigures(runner, catalog.list(), hogRounds);
    const flood = await floodFigures(runner, ring, floodAttempts, 10);
    printTable(
      ['spinning grade (every case spins)', 'wall ms'],
      runaway.spinMs.map(([slug, t]) => [slug, ms(t)]),
    );
    printTable(
      [`reference under 4 CPU hogs (${hogRounds} grades)`, 'grades not all pass'],
      runaway.changes.map(([slug, n]) => [slug, String(n)]),
    );
    printTable(
      [`live interview during ${floodAttempts} spinning practice attempts`, 'p50 ms', 'p95 ms'],
      [
        ['interview run round trip, quiet', ms(p50(flood.quietMs)), ms(p95(flood.quietMs))],
        ['interview run round trip, during the flood', ms(p50(flood.floodMs)), ms(p95(flood.floodMs))],
        ['final grading stored after the end', ms(flood.finalDelayMs), ''],
      ],
    );
    const slowestSpin = Math.max(...runaway.spinMs.map(([, t]) => t));
    const changes = runaway.changes.reduce((sum, [, n]) => sum + n, 0);
    target('spinning grade, slowest exercise', `${ms(slowestSpin)} ms`, '<= 3000 ms', slowestSpin <= 3_000);
    target('CPU busy in the second after a spinning grade (1 s after)', `${ms(runaway.busyAfterMs)} ms`, '~0 (< 50 ms)', runaway.busyAfterMs < 50);
    target('reference verdict changes under 4 CPU hogs', String(changes), '0', changes === 0);
    const floodRatio = p95(flood.floodMs) / p95(flood.quietMs);
    target('interview run p95 during the flood / quiet', `${floodRatio.toFixed(2)}x`, '<= 2x', floodRatio <= 2);
    target('final grading delay during the flood', `${ms(flood.finalDelayMs)} ms`, '<= 30000 ms', flood.finalDelayMs <= 30_000);

    const exercise = catalog.defaultExercise;
    const queueRows = [await throughput(runner, exercise, 2, 16), await throughput(runner, exercise, 8, 32)];
    printTable([`queue (grading ${exercise.slug})`, 'jobs', 'jobs/s', 'latency p50 ms', 'latency p95 ms'], queueRows);
    const stats = runner.stats();
    printTable(
      ['runner counters', 'count'],
      [
        ['compiles', String(stats.compiles)],
        ['symbolizations', String(stats.symbolizes)],
        ['program cache hits / misses', `${stats.cacheHits} / ${stats.cacheMisses}`],
        ['programs cached (estimated MiB)', `${stats.cachedPrograms} (${(stats.cachedBytes / 1024 / 1024).toFixed(1)})`],
      ],
    );
  } finally {
    clearInterval(sampler);
    await runner.close();
  }
  printTable(['memory', 'MiB'], [['peak RSS (process incl. compiler workers)', (peakRss / 1024 / 1024).toFixed(0)]]);
  printTable(['target', 'measured', 'goal', 'verdict'], targets);
}
