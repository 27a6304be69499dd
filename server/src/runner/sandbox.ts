// Runs compiled WASI modules in @wasmer/sdk sandboxes (no network, no host filesystem, a fresh
// instance per run), each runtime hosted in a worker thread of ours (sandbox-worker.mjs).
// A run that passes its wall-clock limit has its worker terminated, which is the only thing that
// stops a guest computing without system calls (the SDK's kill() does not); a fresh worker takes
// its place. So does a worker after any run the SDK had to kill (an output cap). Output caps are
// enforced by the worker as the program writes. This is the Node host's SandboxPort (core/ports.ts).
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { runInLanes } from './core/lanes.ts';
import type { ProgramOutcome, RunInput, RunLimits, SandboxCounters, SandboxPort, SandboxProgram } from './core/ports.ts';

const WORKER_URL = new URL('./sandbox-worker.mjs', import.meta.url);

const programIds = new WeakMap<Uint8Array, string>();

/** The sha256 of a module's bytes: workers keep modules loaded by it (and check it). */
export function programId(wasm: Uint8Array): string {
  let id = programIds.get(wasm);
  if (!id) {
    id = createHash('sha256').update(wasm).digest('hex');
    programIds.set(wasm, id);
  }
  return id;
}

/** Collects one output stream as the worker sends it (the worker caps it). */
class Collected {
  private chunks: Uint8Array[] = [];
  truncated = false;

  push(bytes: Uint8Array, truncated: boolean): void {
    if (bytes.length > 0) this.chunks.push(bytes);
    if (truncated) this.truncated = true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

interface WorkerMessage {
  type: 'ready' | 'output' | 'done' | 'failed';
  id?: number;
  stream?: 'stdout' | 'stderr';
  bytes?: Uint8Array;
  truncated?: boolean;
  outcome?: Pick<ProgramOutcome, 'kind' | 'exitCode' | 'trapMessage' | 'ms'> & { killed: boolean };
  message?: string;
}

interface Current {
  id: number;
  stdout: Collected;
  stderr: Collected;
  finish: (result: ProgramOutcome | Error) => void;
}

/** One worker thread with one runtime; runs one program at a time. */
class SandboxWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private current: Current | undefined;
  readonly ready: Promise<void>;
  /** The runtime loaded (a worker that never did is not replaced in a loop). */
  started = false;
  dead = false;

  constructor(private readonly onDeath: (worker: SandboxWorker, crashed: boolean) => void) {
    this.worker = new Worker(WORKER_URL);
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (message: WorkerMessage) => {
        if (message.type !== 'ready') return this.onMessage(message);
        this.started = true;
        resolve();
      });
      this.worker.once('error', (error) => reject(error));
      this.worker.once('exit', () => reject(new Error('the sandbox worker stopped while starting')));
    });
    this.ready.catch(() => {});
    this.worker.on('error', (error) => this.die(error, true));
    this.worker.on('exit', (code) => this.die(new Error(`the sandbox worker exited with code ${code}`), true));
  }

  private onMessage(message: WorkerMessage): void {
    const current = this.current;
    if (!current || message.id !== current.id) return;
    if (message.type === 'output') {
      current[message.stream ?? 'stdout'].push(message.bytes ?? new Uint8Array(0), message.truncated === true);
    } else if (message.type === 'done' && message.outcome) {
      const { stdout, stderr } = current;
      const { killed, ...outcome } = message.outcome;
      current.finish({ ...outcome, stdout: stdout.text(), stderr: stderr.text(), stdoutTruncated: stdout.truncated, stderrTruncated: stderr.truncated });
      if (killed) void this.terminate();
    } else if (message.type === 'failed') {
      current.finish(new Error(message.message ?? 'the sandbox failed'));
    }
  }

  private die(error: Error, crashed: boolean): void {
    if (this.dead) return;
    this.dead = true;
    this.current?.finish(error);
    this.onDeath(this, crashed);
  }

  run(program: SandboxProgram, input: RunInput, limits: RunLimits): Promise<ProgramOutcome> {
    const id = this.nextId++;
    const runMs = input.runMs ?? limits.runMs;
    const started = performance.now();
    return new Promise<ProgramOutcome>((resolve, reject) => {
      const current: Current = {
        id,
        stdout: new Collected(),
        stderr: new Collected(),
        finish: (result) => {
          if (this.current !== current) return;
          this.current = undefined;
          clearTimeout(watchdog);
          if (result instanceof Error) reject(result);
          else resolve(result);
        },
      };
      this.current = current;
      // The guest may be computing where the SDK cannot reach it: end it with its thread.
      const watchdog = setTimeout(() => {
        const { stdout, stderr } = current;
        current.finish({
          kind: 'timeout',
          exitCode: null,
          ms: Math.round(performance.now() - started),
          stdout: stdout.text(),
          stderr: stderr.text(),
          stdoutTruncated: stdout.truncated,
          stderrTruncated: stderr.truncated,
        });
        void this.terminate();
      }, runMs);
      this.worker.postMessage({
        id,
        program: programId(program.wasm),
        wasm: program.wasm,
        stdin: input.stdin,
        env: input.env ?? {},
        runMs,
        outputBytes: limits.outputBytes,
      });
    });
  }

  async terminate(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.current?.finish(new Error('the sandbox worker was stopped'));
    this.onDeath(this, false);
    await this.worker.terminate();
  }
}

export class Sandbox implements SandboxPort {
  private readonly workers: SandboxWorker[] = [];
  private readonly free: SandboxWorker[] = [];
  private readonly waiting: Array<(worker: SandboxWorker) => void> = [];
  private closed = false;
  readonly counters: SandboxCounters = { runs: 0, terminations: 0, crashes: 0 };

  /** `size`: runs at once (one worker each). */
  constructor(private readonly size = 1) {}

  /** Starts every worker now (otherwise each starts on first use). */
  async start(): Promise<void> {
    while (this.workers.length < this.size) this.free.push(this.spawn());
    await Promise.all(this.workers.map((worker) => worker.ready));
  }

  /** Workers in service (a terminated or crashed one is replaced at once). */
  get alive(): number {
    return this.workers.length;
  }

  /** Runs in progress. */
  get busy(): number {
    return this.workers.length - this.free.length;
  }

  private spawn(): SandboxWorker {
    const worker = new SandboxWorker((gone, crashed) => this.replace(gone, crashed));
    this.workers.push(worker);
    return worker;
  }

  /** A worker that stopped leaves the pool; a fresh one takes its place unless the pool is closed. */
  private replace(gone: SandboxWorker, crashed: boolean): void {
    if (crashed) this.counters.crashes++;
    else if (!this.closed) this.counters.terminations++;
    const index = this.workers.indexOf(gone);
    if (index >= 0) this.workers.splice(index, 1);
    const freeIndex = this.free.indexOf(gone);
    if (freeIndex >= 0) this.free.splice(freeIndex, 1);
    if (this.closed) return;
    // One that could not even start is replaced on demand only (acquire spawns), not in a loop.
    if (crashed && !gone.started && this.waiting.length === 0) return;
    this.release(this.spawn());
  }

  private acquire(): Promise<SandboxWorker> {
    if (this.closed) return Promise.reject(new Error('the sandbox is closed'));
    const worker = this.free.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined);
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: SandboxWorker): void {
    if (worker.dead || this.closed) return;
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.free.push(worker);
  }

  async run(program: SandboxProgram, input: RunInput, limits: RunLimits): Promise<ProgramOutcome> {
    const worker = await this.acquire();
    try {
      await worker.ready;
      this.counters.runs++;
      return await worker.run(program, input, limits);
    } finally {
      this.release(worker);
    }
  }

  /** One run per input, `caseLanes` at once, in `order` (core/lanes.ts). */
  runAll(
    program: SandboxProgram,
    inputs: RunInput[],
    limits: RunLimits & { caseLanes: number },
    onOutcome?: (outcome: ProgramOutcome) => void,
    order?: readonly number[],
  ): Promise<ProgramOutcome[]> {
    return runInLanes(this, program, inputs, limits, onOutcome, order);
  }

  /** Stops every worker (and with them anything still running). */
  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.workers];
    this.workers.length = 0;
    this.free.length = 0;
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
