// The cases users hit, for `npm run bench -- runner`: the first grade after a start, a submission
// that crashes in every case, a compile error, an identical re-run, and the whole round trip in
// the room (socket.io `run:request` -> `run:result` on a real server); plus native clang-16
// doing the same compile and the same runs, as the speed reference.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Exercise } from '../server/src/exercises/types.ts';
import { createRunner, type LocalRunner } from '../server/src/runner/index.ts';
import { resolveLimits } from '../server/src/runner/limits.ts';
import { fueledInput } from '../server/src/runner/core/fuel.ts';
import { Sandbox } from '../server/src/runner/sandbox.ts';
import { WRAPPED_ALLOCATORS, shimSource } from '../server/src/runner/core/shim.ts';
import { connect, startServer } from '../tests/integration/helpers.ts';

const exec = promisify(execFile);
export const NATIVE_CLANG = 'clang-16';
// Debian's wasi-libc lives where clang finds it unaided; other builds ship a sysroot.
const DEBIAN_WASI_LIBC = '/usr/lib/wasm32-wasi';
const WASI_SYSROOT = '/usr/share/wasi-sysroot';

/** Appends a comment so that no cache can reuse an earlier compile. */
export const fresh = (source: string, round: number | string) => `${source}\n// round ${round} ${Math.random()}\n`;

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/**
 * A ring-buffer submission that dereferences NULL in every case: ring_new "allocates" nothing and
 * writes through the pointer it got (every case starts with `new N`).
 */
export function crashingRing(exercise: Exercise): string {
  const crash = exercise.solution.replace(/ring_t \*r = malloc\(sizeof \*r\);/, 'ring_t *r = capacity > (size_t)-2 ? malloc(sizeof *r) : NULL;\n    r->capacity = capacity;');
  if (crash === exercise.solution) throw new Error('the ring-buffer solution changed: update crashingRing');
  return crash;
}

export const BROKEN = (exercise: Exercise) => exercise.starter.replace(/\{\s*\n/, '{\n    this is not C;\n');

// ---- native clang-16 ----

export async function nativeAvailable(): Promise<boolean> {
  if (!existsSync(DEBIAN_WASI_LIBC) && !existsSync(WASI_SYSROOT)) return false;
  try {
    await exec(NATIVE_CLANG, ['--version']);
    return true;
  } catch {
    return false;
  }
}

/** One native grade: its compile (and link), and the whole grade with the runs. */
export interface NativeGrade {
  compileMs: number;
  gradeMs: number;
}

export interface NativeGrader {
  grade(source: string): Promise<NativeGrade>;
  close(): Promise<void>;
}

/**
 * Native clang-16's flags: `target`, those the runner used when the speed target was set (-O1 -g);
 * `runner`, the runner's own (-O0, line tables only; a release clang skips the IR verifier and
 * value names unasked).
 */
const NATIVE_FLAGS = { target: ['-O1', '-g'], runner: ['-O0', '-gline-tables-only'] } as const;
export type NativeFlags = keyof typeof NATIVE_FLAGS;

/**
 * The runner's build with native clang-16 (same compile and link flags, except clang 22's
 * -fno-sanitize-merge, which clang 16 lacks, and `NATIVE_FLAGS[flags]`; driver and shim
 * objects built once; the candidate compiled and linked in one call), then the same runs in the
 * runner's own sandbox (in `order` when given, as the runner orders a grade's cases).
 */
export async function openNativeGrader(exercise: Exercise, flags: NativeFlags, order?: number[]): Promise<NativeGrader> {
  const limits = resolveLimits();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'native-'));
  const sandbox = new Sandbox(limits.caseLanes);
  await mkdir(path.join(dir, 'include'));
  for (const [name, text] of Object.entries(exercise.headers)) await writeFile(path.join(dir, 'include', name), text);
  await writeFile(path.join(dir, 'driver.c'), exercise.driver);
  await writeFile(path.join(dir, 'shim.c'), shimSource(limits.memoryBytes));
  const sysroot = existsSync(DEBIAN_WASI_LIBC) ? [] : [`--sysroot=${WASI_SYSROOT}`];
  const compileFlags = [
    '--target=wasm32-wasi',
    ...sysroot,
    '-std=c17',
    ...NATIVE_FLAGS[flags],
    '-Wall',
    '-Wextra',
    '-fsanitize=undefined',
    '-fno-sanitize=alignment,object-size',
    '-fsanitize-trap=all',
    '-Iinclude',
  ];
  await exec(NATIVE_CLANG, [...compileFlags, '-c', 'driver.c', '-o', 'driver.o'], { cwd: dir });
  await exec(NATIVE_CLANG, [...compileFlags, '-c', 'shim.c', '-o', 'shim.o'], { cwd: dir });
  const link = [`-Wl,--max-memory=${limits.memoryBytes}`, '-Wl,--stack-first', `-Wl,-z,stack-size=${limits.stackBytes}`, ...WRAPPED_ALLOCATORS.map((name) => `-Wl,--wrap=${name}`)];
  return {
    async grade(source) {
      await writeFile(path.join(dir, 'candidate.c'), source);
      const [built, compileMs] = await timed(() =>
        exec(NATIVE_CLANG, [...compileFlags, '-fsanitize-coverage=trace-pc-guard,no-prune', 'candidate.c', 'driver.o', 'shim.o', '-o', 'prog.wasm', ...link], { cwd: dir }).then(
          () => true,
          () => false,
        ),
      );
      const [, runMs] = await timed(async () => {
        if (!built) return; // a compile error: nothing to run
        const wasm = await readFile(path.join(dir, 'prog.wasm'));
        const inputs = exercise.cases.map((c) => fueledInput(c.input, limits.fuelCeiling, limits));
        await sandbox.runAll({ wasm }, inputs, limits, undefined, order);
      });
      return { compileMs, gradeMs: compileMs + runMs };
    },
    async close() {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Times each contender once per round, taking turns within the round (after one warm-up round),
 * so that a slow spell of the machine falls on all of them alike rather than on whichever was
 * being measured then. Returns each contender's times.
 */
export async function alternate(rounds: number, contenders: Array<(round: number) => Promise<number>>): Promise<number[][]> {
  for (const contender of contenders) await contender(-1);
  const times = contenders.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [index, contender] of contenders.entries()) times[index]!.push(await contender(round));
  }
  return times;
}

/**
 * Times each contender `rounds` times in blocks of `block` rounds back to back, the contenders'
 * blocks taking turns, each block after one warm-up round of its own (not counted). Back to back,
 * as a server grades; in turns, so that a slow spell of the machine does not fall on one
 * contender's whole sample.
 */
export async function inBlocks(rounds: number, block: number, contenders: Array<(round: number) => Promise<number>>): Promise<number[][]> {
  const times = contenders.map(() => [] as number[]);
  for (let first = 0; first < rounds; first += block) {
    for (const [index, contender] of contenders.entries()) {
      await contender(-1);
      for (let round = first; round < Math.min(rounds, first + block); round++) times[index]!.push(await contender(round));
    }
  }
  return times;
}

/** Times one contender once per round, back to back, after one warm-up round. */
export async function timeRounds(rounds: number, contender: (round: number) => Promise<number>): Promise<number[]> {
  const [times = []] = await alternate(rounds, [contender]);
  return times;
}

// ---- first grade after a start ----

/**
 * A runner started as the server starts it (compilers warmed, every exercise prepared in the
 * background), then the first grade of `exercise`'s starter, once per round.
 */
export async function firstGrades(all: Exercise[], exercise: Exercise, rounds: number): Promise<{ first: number[]; startMs: number[] }> {
  const first: number[] = [];
  const startMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const runner = createRunner({ warmUp: true });
    try {
      const [, ms] = await timed(async () => {
        await runner.ready();
        await runner.warm(all);
      });
      startMs.push(ms);
      first.push((await timed(() => runner.grade(exercise, exercise.starter)))[1]);
    } finally {
      await runner.close();
    }
  }
  return { first, startMs };
}

// ---- the room ----

/**
 * A real server (HTTP, socket.io, SQLite in a temp dir) on `runner`, one interview on `exercise`,
 * started; the candidate edits the code (so that each run compiles), then times `run:request`
 * until its `run:result` arrives.
 */
export async function roomRoundTrips(runner: LocalRunner, exercise: Exercise, rounds: number): Promise<number[]> {
  const server = await startServer({ runner });
  const times: number[] = [];
  try {
    const session = await server.createSession({ exercise: exercise.slug }, { start: true });
    const candidate = await connect(server.url, session.links.candidate, 'Bench');
    try {
      for (let round = 0; round <= rounds; round++) {
        const edited = await candidate.edit((text) => text.insert(text.length, `\n// edit ${round} ${Math.random()}\n`));
        if (!edited.ok) throw new Error(`edit refused: ${edited.error.message}`);
        const started = performance.now();
        const result = candidate.next('run:result', () => true, 60_000);
        const queued = await candidate.socket.timeout(10_000).emitWithAck('run:request');
        if (!queued.ok) throw new Error(`run refused: ${queued.error.message}`);
        await result;
        if (round > 0) times.push(performance.now() - started); // round 0 warms the session's path
      }
    } finally {
      candidate.close();
    }
  } finally {
    await server.close();
  }
  return times;
}
