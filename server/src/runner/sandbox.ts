// Runs compiled WASI programs in worker threads (executor-worker.mjs): the module is compiled
// once, each run is a fresh instance with fresh memory, and the program can reach nothing but its
// stdin, stdout and stderr (no files, no network: the worker provides no such calls). Our own
// wall-clock watchdog stops a run that takes too long by terminating its worker; output caps are
// enforced as the program writes, and it is stopped at once when it floods.
import { Worker } from 'node:worker_threads';

export type ExitKind = 'exited' | 'trapped' | 'timeout' | 'output_limit';

export interface ProgramOutcome {
  kind: ExitKind;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  /** The engine's message for a trap (carries the wasm stack trace). */
  trapMessage?: string;
  ms: number;
}

export interface RunLimits {
  runMs: number;
  outputBytes: number;
}

interface WorkerOutcome {
  kind: 'exited' | 'trapped' | 'output_limit';
  exitCode: number | null;
  trapMessage?: string;
  /** With output_limit: the stream that crossed the cap (0 stdout, 1 stderr). */
  truncated?: 0 | 1;
  ms: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

type WorkerMessage =
  | { type: 'started'; id: number; index: number }
  | { type: 'finished'; id: number; index: number; outcome: WorkerOutcome }
  | { type: 'done'; id: number };

const WORKER_URL = new URL('./executor-worker.mjs', import.meta.url);
const HEADER_BYTES = 8;

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** One worker thread; runs one batch of inputs at a time. */
class Executor {
  private readonly worker: Worker;
  private buffer: SharedArrayBuffer | undefined;
  private nextId = 1;
  dead = false;

  constructor() {
    this.worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 } });
    this.worker.unref();
    this.worker.on('error', () => (this.dead = true));
    this.worker.on('exit', () => (this.dead = true));
  }

  private shared(cap: number): SharedArrayBuffer {
    if (!this.buffer || this.buffer.byteLength !== HEADER_BYTES + 2 * cap) this.buffer = new SharedArrayBuffer(HEADER_BYTES + 2 * cap);
    return this.buffer;
  }

  /**
   * Runs inputs[first..] and fills `outcomes`; resolves with the index to continue from, which is
   * inputs.length unless a run had to be stopped (this executor is then dead).
   */
  runFrom(module: WebAssembly.Module, inputs: Uint8Array[], first: number, limits: RunLimits, outcomes: ProgramOutcome[]): Promise<number> {
    const id = this.nextId++;
    const cap = limits.outputBytes;
    const buffer = this.shared(cap);
    this.worker.ref(); // an unref'd worker would let the process exit while we wait for it
    return new Promise<number>((resolve) => {
      let watchdog: NodeJS.Timeout | undefined;
      let current = first;
      let startedAt = performance.now();
      const finish = (next: number) => {
        clearTimeout(watchdog);
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        if (!this.dead) this.worker.unref();
        resolve(next);
      };
      const partial = (): Pick<ProgramOutcome, 'stdout' | 'stderr'> => {
        const lengths = new Int32Array(buffer, 0, 2);
        const stdout = new Uint8Array(buffer, HEADER_BYTES, Math.min(cap, Atomics.load(lengths, 0)));
        const stderr = new Uint8Array(buffer, HEADER_BYTES + cap, Math.min(cap, Atomics.load(lengths, 1)));
        return { stdout: text(stdout.slice()), stderr: text(stderr.slice()) };
      };
      const stopped = (kind: 'timeout' | 'trapped', trapMessage?: string) => {
        outcomes[current] = {
          kind, exitCode: null, ...partial(), stdoutTruncated: false, stderrTruncated: false,
          ms: Math.round(performance.now() - startedAt), ...(trapMessage ? { trapMessage } : {}),
        };
        this.stop();
        finish(current + 1);
      };
      const onExit = (code: number) => stopped('trapped', `RuntimeError: the sandbox stopped (exit code ${code})`);
      const onMessage = (message: WorkerMessage) => {
        if (message.id !== id) return;
        if (message.type === 'started') {
          current = message.index;
          startedAt = performance.now();
          watchdog = setTimeout(() => stopped('timeout'), limits.runMs);
        } else if (message.type === 'finished') {
          clearTimeout(watchdog);
          const { outcome } = message;
          outcomes[message.index] = {
            kind: outcome.kind,
            exitCode: outcome.exitCode,
            stdout: text(outcome.stdout),
            stderr: text(outcome.stderr),
            // The worker stops a program the moment a stream crosses the cap.
            stdoutTruncated: outcome.truncated === 0,
            stderrTruncated: outcome.truncated === 1,
            ms: Math.round(outcome.ms),
            ...(outcome.trapMessage === undefined ? {} : { trapMessage: outcome.trapMessage }),
          };
        } else finish(inputs.length);
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
      this.worker.postMessage({ id, module, inputs, first, buffer, cap });
    });
  }

  stop(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }
}

export class Sandbox {
  private readonly executors: Executor[] = [];
  private readonly idle: Executor[] = [];
  private readonly waiting: Array<(executor: Executor) => void> = [];
  private closed = false;

  /** `size`: programs that may run at once (one worker thread each, started on first use). */
  constructor(private readonly size = 1) {}

  /** Starts every worker thread now rather than on first use. */
  warm(): void {
    while (!this.closed && this.executors.length < this.size) this.idle.push(this.spawn());
  }

  private spawn(): Executor {
    const executor = new Executor();
    this.executors.push(executor);
    return executor;
  }

  private acquire(): Promise<Executor> {
    if (this.closed) return Promise.reject(new Error('the sandbox is closed'));
    let executor = this.idle.pop();
    while (executor?.dead) {
      this.executors.splice(this.executors.indexOf(executor), 1);
      executor = this.idle.pop();
    }
    if (executor) return Promise.resolve(executor);
    if (this.executors.length < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(executor: Executor): void {
    let next = executor;
    if (executor.dead) {
      this.executors.splice(this.executors.indexOf(executor), 1);
      if (this.closed) return;
      next = this.spawn();
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(next);
    else this.idle.push(next);
  }

  /** Runs `module` once per input, in order, each in a fresh instance. */
  async runAll(module: WebAssembly.Module, inputs: string[], limits: RunLimits): Promise<ProgramOutcome[]> {
    const encoder = new TextEncoder();
    const encoded = inputs.map((input) => encoder.encode(input));
    const outcomes: ProgramOutcome[] = new Array(inputs.length);
    let next = 0;
    while (next < inputs.length) {
      const executor = await this.acquire();
      try {
        next = await executor.runFrom(module, encoded, next, limits, outcomes);
      } finally {
        this.release(executor);
      }
    }
    return outcomes;
  }

  async run(module: WebAssembly.Module, stdin: string, limits: RunLimits): Promise<ProgramOutcome> {
    return (await this.runAll(module, [stdin], limits))[0]!;
  }

  async close(): Promise<void> {
    this.closed = true;
    const executors = this.executors.splice(0);
    this.idle.length = 0;
    await Promise.all(executors.map((executor) => executor.stop().catch(() => 0)));
  }
}
