// The server under test for the realtime and abuse benches: `tsx server/src/index.ts` as a child
// process on loopback, a temp DATA_DIR (SQLite), one compiler, no client build; ready once it
// listens and its runner is warm (so the warm-up does not count as load). Plus /proc readings.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MENTOR_KEY = 'bench-mentor-key-0123456789abcdef';

export interface ServerProc {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

/** `BENCH_SERVER_NODE_ARGS` adds Node options to the server, e.g. `--cpu-prof` to see where its time goes. */
export async function bootServer(tempPrefix: string): Promise<ServerProc> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tempPrefix));
  const nodeArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'server/src/index.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MENTOR_KEY, RUNNER_CONCURRENCY: '1', CLIENT_DIR: path.join(dataDir, 'no-client') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    let found: string | undefined;
    const check = () => {
      found ??= /listening on (http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
      if (found && /runner ready|failed to start/.test(out)) {
        clearTimeout(t);
        resolve(found);
      }
    };
    child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.stderr!.on('data', (d: Buffer) => ((out += d.toString()), check()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  return { url, child, dataDir };
}

export async function stopServer(s: ServerProc): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (s.child.exitCode === null) s.child.kill('SIGKILL');
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
