// Rows of `npm run bench -- runner` about programs that never stop and verdicts under load:
// a spinning grade's wall time per exercise, the CPU still busy after it, each reference's verdict
// changes under four CPU hogs, and a live interview's runs and final grading during a flood of
// anonymous practice attempts submitting spinning code.
import { spawn } from 'node:child_process';
import type { Exercise } from '../server/src/exercises/types.ts';
import type { LocalRunner } from '../server/src/runner/index.ts';
import { connect, startServer, until, type YClient } from '../tests/integration/helpers.ts';
import { cpuMsOver } from '../tests/support/process-load.ts';
import { fresh, timed } from './runner-cases.ts';

/** The exercise's starter with a constructor that never returns: every case spins. */
export const spinning = (exercise: Exercise) => `${exercise.starter}\n__attribute__((constructor)) static void spin(void) { for (volatile unsigned long s = 0;; s++) {} }\n`;

export interface RunawayFigures {
  /** Wall time of one spinning grade, per exercise. */
  spinMs: Array<[string, number]>;
  /** CPU ms the process used in the second after a spinning grade's verdict (after 1 s). */
  busyAfterMs: number;
  /** Per exercise: grades under hogs whose verdicts differed from all-pass. */
  changes: Array<[string, number]>;
}

export async function runawayFigures(runner: LocalRunner, exercises: Exercise[], hogRounds: number): Promise<RunawayFigures> {
  const spinMs: Array<[string, number]> = [];
  for (const exercise of exercises) spinMs.push([exercise.slug, (await timed(() => runner.grade(exercise, fresh(spinning(exercise), 'spin'))))[1]]);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const busyAfterMs = await cpuMsOver(1_000);
  const hogs = Array.from({ length: 4 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  const changes: Array<[string, number]> = [];
  try {
    for (const exercise of exercises) {
      let changed = 0;
      for (let round = 0; round < hogRounds; round++) {
        const graded = await runner.grade(exercise, fresh(exercise.solution, `hog ${round}`));
        if (graded.cases.some((c) => c.status !== 'pass')) changed++;
      }
      changes.push([exercise.slug, changed]);
    }
  } finally {
    for (const hog of hogs) hog.kill('SIGKILL');
  }
  return { spinMs, busyAfterMs, changes };
}

export interface FloodFigures {
  quietMs: number[];
  floodMs: number[];
  /** From the interview's end to its final grading stored. */
  finalDelayMs: number;
}

/** A live interview's runs before and during `attempts` anonymous practice attempts submitting spinning code. */
export async function floodFigures(runner: LocalRunner, exercise: Exercise, attempts: number, rounds: number): Promise<FloodFigures> {
  const server = await startServer({ runner });
  const students: YClient[] = [];
  try {
    const session = await server.createSession({ exercise: exercise.slug }, { start: true });
    const candidate = await connect(server.url, session.links.candidate, 'Bench');
    const runOnce = async (round: string) => {
      await candidate.edit((text) => text.insert(text.length, `\n// ${round} ${Math.random()}\n`));
      const started = performance.now();
      const result = candidate.next('run:result', () => true, 120_000);
      const queued = await candidate.socket.timeout(10_000).emitWithAck('run:request');
      if (!queued.ok) throw new Error(`interview run refused: ${queued.error.message}`);
      await result;
      return performance.now() - started;
    };
    const quietMs: number[] = [];
    for (let round = 0; round <= rounds; round++) quietMs.push(await runOnce(`quiet ${round}`));
    quietMs.shift(); // the first warms the session's path

    // The flood: each attempt from a browser of its own (a cookie each), spinning code, run and submitted.
    for (let i = 0; i < attempts; i++) {
      const res = await fetch(`${server.url}/api/practice/attempts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `ci_practice=${`flood${i}`.padEnd(43, 'x')}` },
        body: JSON.stringify({ exercise: exercise.slug }),
      });
      if (res.status !== 201) throw new Error(`practice attempt ${i} refused: ${res.status} ${await res.text()}`);
      const student = await connect(server.url, ((await res.json()) as { link: string }).link, 'Flood');
      students.push(student);
      await student.socket.timeout(10_000).emitWithAck('timer:start');
      await student.edit((text) => text.insert(text.length, spinning(exercise).slice(exercise.starter.length)));
      void student.socket
        .timeout(10_000)
        .emitWithAck('run:request')
        .catch(() => {});
    }
    const floodMs: number[] = [];
    for (let round = 0; round < rounds; round++) floodMs.push(await runOnce(`flood ${round}`));
    for (const student of students)
      void student.socket
        .timeout(10_000)
        .emitWithAck('session:end')
        .catch(() => {});
    const mentor = await connect(server.url, session.links.mentor);
    const ended = performance.now();
    await mentor.socket.timeout(10_000).emitWithAck('session:end');
    await until(() => server.store.hasFinalRun(session.id), 600_000, 'the final grading');
    const finalDelayMs = performance.now() - ended;
    mentor.close();
    candidate.close();
    return { quietMs, floodMs, finalDelayMs };
  } finally {
    for (const student of students) student.close();
    await server.close();
  }
}
