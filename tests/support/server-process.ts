// The server (or the runner-only worker) as a child process, the one way tests and benches spawn
// it: `node --import tsx server/src/index.ts` with the environment given, its output kept, and
// helpers to wait for a line, stop it (SIGTERM, then SIGKILL after a while) or kill -9 it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths.ts';

/** The line a server prints once it listens; match[1] is its URL. */
export const LISTENING = /listening on (http:\/\/[\d.]+:\d+)/;

export interface ServerProcess {
  child: ChildProcess;
  /** What it printed so far: stdout, stderr, and both interleaved as they came. */
  stdout(): string;
  stderr(): string;
  output(): string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  alive(): boolean;
  /** Resolves with the first match of `pattern` in its output (stdout and stderr); rejects if it exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** kill -9: no chance to flush or clean up. */
  kill9(): Promise<void>;
}

export interface SpawnOptions {
  /** Added to (and overriding) this process's environment. */
  env: Record<string, string>;
  /** Relative to the repository root. */
  script?: string;
  /** Extra Node options, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
}

/** Loopback, a port chosen by the system, one compiler: what every spawned test server shares. */
export function localServerEnv(dataDir: string, more: Record<string, string> = {}): Record<string, string> {
  return { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: path.join(dataDir, 'no-client'), RUNNER_CONCURRENCY: '1', ...more };
}

export function spawnServer(o: SpawnOptions): ServerProcess {
  const script = o.script ?? 'server/src/index.ts';
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), '--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let both = '';
  const listeners = new Set<() => void>();
  const heard = () => listeners.forEach((f) => f());
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), (both += d.toString()), heard()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), (both += d.toString()), heard()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (resolve(code), heard())));
  const alive = () => child.exitCode === null && child.signalCode === null;

  const proc: ServerProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    output: () => both,
    exited,
    alive,
    waitFor(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`${script}: no ${pattern} within ${timeoutMs} ms:\n${both}`)), timeoutMs);
        const done = (error: Error | null, match?: RegExpExecArray) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(match!);
        };
        const check = () => {
          const match = pattern.exec(both);
          if (match) done(null, match);
          else if (!alive()) done(new Error(`${script} exited with ${child.exitCode ?? child.signalCode}:\n${both}`));
        };
        listeners.add(check);
        check();
      });
    },
    async stop(graceMs = 10_000) {
      if (alive()) child.kill('SIGTERM');
      const force = setTimeout(() => alive() && child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(force);
      return code;
    },
    async kill9() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
  return proc;
}
