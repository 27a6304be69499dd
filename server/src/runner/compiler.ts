// A pool of warm clang-in-WebAssembly instances, each in its own worker thread so that a compile
// that runs too long (a macro-expansion bomb, say) is stopped by terminating the worker.
// This is the Node host's CompilerPort (core/ports.ts).
import { Worker } from 'node:worker_threads';
import type { Compiler, CompilerCounters, CompilerPort, Logger } from './core/ports.ts';

export type { Compiler, CompilerCounters } from './core/ports.ts';

interface WorkerReply {
  type: 'done' | 'failed' | 'progress';
  id?: number;
  percent?: number;
  message?: string;
  value?: { exitCode: number; output: string; wasm?: Uint8Array };
}

const WORKER_URL = new URL('./compiler-worker.mjs', import.meta.url);
const WARMUP_SOURCE = 'int main(void) { return 0; }\n';

/** One worker thread holding one clang instance. Serves one request at a time. */
class CompilerWorker {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  dead = false;
  /** The toolchain is loaded and has compiled a first program. */
  readonly loaded: Promise<void>;
  /** Loaded, and the pool's warm-up (if any) has run on it. */
  readonly warm: Promise<void>;

  constructor(
    private readonly log: Logger,
    private readonly label: string,
    warmUp?: (worker: CompilerWorker) => Promise<void>,
  ) {
    this.worker = new Worker(WORKER_URL);
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.onMessage(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      this.dead = true;
      this.failAll(new Error(`compiler worker exited with code ${code}`));
    });
    const started = Date.now();
    this.loaded = this.request({ kind: 'load' })
      .then(() => this.request({ kind: 'compile', args: ['clang', 'warm.c', '-o', 'warm.wasm'], files: { 'warm.c': WARMUP_SOURCE }, output: 'warm.wasm' }))
      .then(() => undefined);
    // Warming is only about speed: a compiler whose warm-up failed still takes jobs.
    const warmQuietly = async () => {
      try {
        await warmUp?.(this);
      } catch (error) {
        if (!this.dead) this.log.info(`${this.label}: warm-up failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    this.warm = this.loaded.then(warmQuietly).then(() => this.log.info(`${this.label}: compiler ready in ${Date.now() - started} ms`));
    this.loaded.catch(() => {}); // surfaced to whoever awaits it
    this.warm.catch(() => {});
  }

  private onMessage(reply: WorkerReply): void {
    if (reply.type === 'progress') {
      this.log.info(`${this.label}: loading compiler ${reply.percent}%`);
      return;
    }
    const waiter = reply.id === undefined ? undefined : this.pending.get(reply.id);
    if (!waiter || reply.id === undefined) return;
    this.pending.delete(reply.id);
    if (reply.type === 'done') waiter.resolve(reply);
    else waiter.reject(new Error(reply.message ?? 'compiler worker failed'));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  request(message: Record<string, unknown>): Promise<WorkerReply> {
    if (this.dead) return Promise.reject(new Error('compiler worker is stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  async stop(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}

export interface CompilerPoolOptions {
  /**
   * Run on every compiler once it has loaded (and again on a replacement), before it takes jobs:
   * the first real job then finds the toolchain's code paths already compiled by V8.
   */
  warmUp?: (compiler: Compiler) => Promise<void>;
  counters?: CompilerCounters;
}

interface Waiter {
  resolve: (slot: number) => void;
  background: boolean;
}

export class CompilerPool implements CompilerPort {
  private readonly slots: CompilerWorker[] = [];
  private readonly free: number[] = [];
  private readonly waiting: Waiter[] = [];
  private spawned = 0;
  readonly counters: CompilerCounters;

  /** Compilers started to replace one that was stopped (a compile past its limit) or died. */
  get restarts(): number {
    return this.spawned - this.slots.length;
  }

  constructor(
    size: number,
    private readonly log: Logger,
    private readonly options: CompilerPoolOptions = {},
  ) {
    this.counters = options.counters ?? { compiles: 0, symbolizes: 0 };
    for (let slot = 0; slot < size; slot++) {
      this.slots.push(this.spawn(slot));
      this.free.push(slot);
    }
  }

  private spawn(slot: number): CompilerWorker {
    this.spawned++;
    const { warmUp } = this.options;
    return new CompilerWorker(this.log, `compiler ${this.spawned}`, warmUp && ((worker) => warmUp(this.compilerFor(slot, worker, 'loaded'))));
  }

  /** Resolves once every compiler has loaded and warmed up. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((worker) => worker.warm));
  }

  /**
   * Run `job` with a compiler of its own. Background jobs (start-up warming) wait until no
   * ordinary job is waiting.
   */
  async use<T>(job: (compiler: Compiler) => Promise<T>, options: { background?: boolean } = {}): Promise<T> {
    const slot = await this.acquire(options.background ?? false);
    try {
      return await job(this.compilerFor(slot));
    } finally {
      this.release(slot);
    }
  }

  private acquire(background: boolean): Promise<number> {
    const slot = this.free.pop();
    if (slot !== undefined) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push({ resolve, background }));
  }

  private release(slot: number): void {
    const index = this.waiting.findIndex((waiter) => !waiter.background);
    const next = index >= 0 ? this.waiting.splice(index, 1)[0] : this.waiting.shift();
    if (next) next.resolve(slot);
    else this.free.push(slot);
  }

  private worker(slot: number): CompilerWorker {
    let worker = this.slots[slot]!;
    if (worker.dead) {
      worker = this.spawn(slot);
      this.slots[slot] = worker;
    }
    return worker;
  }

  /**
   * The compiler of `slot` (or of one given `worker`, during its warm-up). Calls wait until it is
   * `warm`, or only `loaded` for the warm-up itself.
   */
  private compilerFor(slot: number, fixed?: CompilerWorker, waitFor: 'warm' | 'loaded' = 'warm'): Compiler {
    const current = async () => {
      const worker = fixed ?? this.worker(slot);
      await worker[waitFor];
      return worker;
    };
    return {
      compile: async (args, files, output, timeoutMs) => {
        const worker = await current();
        this.counters.compiles++;
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        try {
          const reply = await Promise.race([worker.request({ kind: 'compile', args, files, output }), timedOut]);
          const ms = Math.round(performance.now() - started);
          if (reply === 'timeout') {
            // The only way to stop a compile in progress; the slot gets a fresh worker next time.
            void worker.stop();
            this.log.info(`compile stopped after ${ms} ms; restarting that compiler`);
            if (this.slots[slot] === worker) this.slots[slot] = this.spawn(slot);
            return { kind: 'timeout', output: '', ms };
          }
          const value = reply.value!;
          if (value.exitCode === 0 && value.wasm) return { kind: 'compiled', wasm: value.wasm, output: value.output, ms };
          return { kind: 'failed', output: value.output, ms };
        } finally {
          clearTimeout(timer);
        }
      },
      symbolize: async (wasm, addresses) => {
        const worker = await current();
        this.counters.symbolizes++;
        const hex = addresses.map((address) => `0x${address.toString(16)}`);
        const reply = await worker.request({ kind: 'symbolize', wasm, addresses: hex });
        return JSON.parse(reply.value?.output || '[]') as unknown;
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((worker) => worker.stop().catch(() => {})));
  }
}
