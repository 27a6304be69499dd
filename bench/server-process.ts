// The server under test for the realtime and abuse benches: `tsx server/src/index.ts` as a child
// process on loopback, a temp DATA_DIR (SQLite), one compiler, no client build; ready once it
// listens and its runner is warm (so the warm-up does not count as load). Plus /proc readings.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LISTENING, localServerEnv, spawnServer, type ServerProcess } from '../tests/support/server-process.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';

export interface ServerProc {
  url: string;
  child: ChildProcess;
  dataDir: string;
  proc: ServerProcess;
}

/** `BENCH_SERVER_NODE_ARGS` adds Node options to the server, e.g. `--cpu-prof` to see where its time goes. */
export async function bootServer(tempPrefix: string): Promise<ServerProc> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const proc = spawnServer({ env: localServerEnv(dataDir, { MENTOR_KEY }), nodeArgs });
  try {
    const url = (await proc.waitFor(LISTENING))[1]!;
    await proc.waitFor(/runner ready|failed to start/); // the warm-up must not count as load
    return { url, child: proc.child, dataDir, proc };
  } catch (err) {
    await proc.kill9();
    throw err;
  }
}

export async function stopServer(s: ServerProc): Promise<void> {
  await s.proc.stop(5_000);
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const CLK_TCK = 100; // Linux USER_HZ

/** CPU seconds (user + system) the process has used. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
}
