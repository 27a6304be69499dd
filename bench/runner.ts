// `npm run bench -- runner [--rounds 20]`
// Cold start, warm compile, warm grade of each exercise, queue throughput and peak RSS of the
// runner; and, where clang-16 with wasi-libc is installed, the same compile and grade done by
// native clang as a reference.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EXERCISES_DIR, loadExercises } from '../server/src/exercises/load.ts';
import type { Exercise } from '../server/src/exercises/types.ts';
import { createRunner, type Runner } from '../server/src/runner/index.ts';
import { resolveLimits } from '../server/src/runner/limits.ts';
import { Sandbox } from '../server/src/runner/sandbox.ts';
import { shimSource } from '../server/src/runner/shim.ts';
import { percentile, printTable } from './table.ts';

const run = promisify(execFile);
const HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n';
const NATIVE_CLANG = 'clang-16';
// Debian's wasi-libc lives where clang finds it unaided; other builds ship a sysroot.
const DEBIAN_WASI_LIBC = '/usr/lib/wasm32-wasi';
const WASI_SYSROOT = '/usr/share/wasi-sysroot';
const TARGET_RATIO = 2;

/** Appends a comment so that no layer can reuse an earlier compile. */
const fresh = (source: string, round: number) => `${source}\n// round ${round} ${Math.random()}\n`;

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

async function nativeAvailable(): Promise<boolean> {
  if (!existsSync(DEBIAN_WASI_LIBC) && !existsSync(WASI_SYSROOT)) return false;
  try {
    await run(NATIVE_CLANG, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** The same build the runner does, with native clang-16; then the same runs in the same sandbox. */
async function nativeGrade(exercise: Exercise, rounds: number): Promise<{ compile: number[]; grade: number[] }> {
  const limits = resolveLimits();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'native-'));
  const sandbox = new Sandbox();
  const compile: number[] = [];
  const grade: number[] = [];
  try {
    await mkdir(path.join(dir, 'include'));
    for (const [name, text] of Object.entries(exercise.headers)) await writeFile(path.join(dir, 'include', name), text);
    await writeFile(path.join(dir, 'driver.c'), exercise.driver);
    await writeFile(path.join(dir, 'shim.c'), shimSource(limits.memoryBytes));
    const sysroot = existsSync(DEBIAN_WASI_LIBC) ? [] : [`--sysroot=${WASI_SYSROOT}`];
    const flags = ['--target=wasm32-wasi', ...sysroot, '-std=c17', '-O1', '-g', '-Wall', '-Wextra', '-fsanitize=undefined',
      '-fno-sanitize=alignment,object-size', '-fsanitize-trap=all', '-Iinclude'];
    // Like the runner, the driver and shim objects are built once.
    await run(NATIVE_CLANG, [...flags, '-c', 'driver.c', '-o', 'driver.o'], { cwd: dir });
    await run(NATIVE_CLANG, [...flags, '-c', 'shim.c', '-o', 'shim.o'], { cwd: dir });
    const link = [`-Wl,--max-memory=${limits.memoryBytes}`, '-Wl,--stack-first', `-Wl,-z,stack-size=${limits.stackBytes}`,
      ...['malloc', 'calloc', 'realloc', 'aligned_alloc', 'posix_memalign'].map((n) => `-Wl,--wrap=${n}`)];
    for (let round = 0; round <= rounds; round++) {
      await writeFile(path.join(dir, 'candidate.c'), fresh(exercise.solution, round));
      const [, compileMs] = await timed(() => run(NATIVE_CLANG, [...flags, 'candidate.c', 'driver.o', 'shim.o', '-o', 'prog.wasm', ...link], { cwd: dir }));
      const [, runMs] = await timed(async () => {
        const module = await WebAssembly.compile(await readFile(path.join(dir, 'prog.wasm')));
        await sandbox.runAll(module, exercise.cases.map((c) => c.input), limits);
      });
      if (round === 0) continue; // warm-up
      compile.push(compileMs);
      grade.push(compileMs + runMs);
    }
  } finally {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  }
  return { compile, grade };
}

async function throughput(runner: Runner, exercise: Exercise, callers: number, jobs: number): Promise<string[]> {
  let next = 0;
  const latencies: number[] = [];
  const [, wall] = await timed(() =>
    Promise.all(Array.from({ length: callers }, async () => {
      while (next < jobs) {
        const round = next++;
        const [, ms] = await timed(() => runner.grade(exercise, fresh(exercise.solution, round)));
        latencies.push(ms);
      }
    })),
  );
  return [`${callers} concurrent callers`, String(jobs), (jobs / (wall / 1000)).toFixed(2), percentile(latencies, 50).toFixed(0), percentile(latencies, 95).toFixed(0)];
}

export async function benchRunner(args: string[]): Promise<void> {
  const roundsArg = args.indexOf('--rounds');
  const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 20;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const catalog = await loadExercises(EXERCISES_DIR);
  const runner = createRunner();
  console.log(`runner bench: ${rounds} rounds, concurrency ${runner.limits.concurrency}, ${os.cpus().length} cores, Node ${process.version}`);
  try {
    const [, readyMs] = await timed(() => runner.ready());
    const [first] = await timed(() => runner.run(fresh(HELLO, -1)));
    const compileMs: number[] = [];
    for (let round = 0; round < rounds; round++) compileMs.push((await runner.run(fresh(HELLO, round))).timings.compileMs);

    const rows: string[][] = [
      ['cold start (load clang, warm-up compile)', readyMs.toFixed(0), '', ''],
      ['first compile after start', String(first.timings.compileMs), '', ''],
      ['warm compile (hello world)', percentile(compileMs, 50).toFixed(0), percentile(compileMs, 95).toFixed(0), ''],
    ];
    const gradeP50 = new Map<string, number>();
    for (const exercise of catalog.list()) {
      await runner.grade(exercise, exercise.solution); // fills the reference and driver caches
      const times: number[] = [];
      for (let round = 0; round < rounds; round++) times.push((await timed(() => runner.grade(exercise, fresh(exercise.solution, round))))[1]);
      gradeP50.set(exercise.slug, percentile(times, 50));
      rows.push([`warm grade ${exercise.slug} (${exercise.cases.length} cases)`, percentile(times, 50).toFixed(0), percentile(times, 95).toFixed(0), '']);
    }

    if (await nativeAvailable()) {
      for (const exercise of catalog.list()) {
        const native = await nativeGrade(exercise, rounds);
        const ratio = gradeP50.get(exercise.slug)! / percentile(native.grade, 50);
        rows.push([`native clang-16: compile ${exercise.slug}`, percentile(native.compile, 50).toFixed(0), percentile(native.compile, 95).toFixed(0), '']);
        rows.push([`native clang-16: grade ${exercise.slug}`, percentile(native.grade, 50).toFixed(0), percentile(native.grade, 95).toFixed(0),
          `${ratio.toFixed(2)}x (target <= ${TARGET_RATIO}x) ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`]);
      }
    } else {
      rows.push([`native reference: ${NATIVE_CLANG} + wasi-libc not installed`, '-', '-', 'skipped']);
    }
    printTable(['measure', 'p50 ms', 'p95 ms', 'wasm / native'], rows);

    const exercise = catalog.defaultExercise;
    const queueRows = [await throughput(runner, exercise, 2, 16), await throughput(runner, exercise, 8, 32)];
    printTable([`queue (grading ${exercise.slug})`, 'jobs', 'jobs/s', 'latency p50 ms', 'latency p95 ms'], queueRows);
  } finally {
    clearInterval(sampler);
    await runner.close();
  }
  printTable(['memory', 'MiB'], [['peak RSS (process incl. compiler workers)', (peakRss / 1024 / 1024).toFixed(0)]]);
}
