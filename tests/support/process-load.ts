// What this process is doing, read from /proc (Linux): its threads and the CPU time they used.
// For tests that check what is left running after a limit, not only the verdict.
import { readFileSync, readdirSync } from 'node:fs';

/** Threads of this process now. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

/** CPU time (user + system) this process has used, in milliseconds. */
export function cpuMs(): number {
  // Fields after the command name: state is the 1st, utime the 12th, stime the 13th (in ticks).
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** CPU milliseconds this process used over the next `ms` milliseconds of wall time. */
export async function cpuMsOver(ms: number): Promise<number> {
  const before = cpuMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return cpuMs() - before;
}

/** Waits until the thread count is at most `count` (threads end asynchronously), up to `ms`. */
export async function settleThreads(count: number, ms = 2_000): Promise<number> {
  const deadline = Date.now() + ms;
  while (threadCount() > count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return threadCount();
}
