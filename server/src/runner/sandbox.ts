// Runs a compiled WASI module in the @wasmer/sdk sandbox: no network, no host filesystem, a fresh
// instance per run, our own wall-clock watchdog (the SDK's timeout can fire a minute late) and
// our own output caps (the process is killed as soon as it floods).
import { Wasmer, type Package, type Process } from '@wasmer/sdk/node';

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

const STREAM_DRAIN_MS = 1_000;
const KILL_GRACE_MS = 3_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Collects one output stream up to a cap; reports when the cap is crossed. */
class CappedText {
  private chunks: Uint8Array[] = [];
  private size = 0;
  truncated = false;

  constructor(private readonly cap: number) {}

  /** Returns false once the cap has been crossed. */
  push(chunk: Uint8Array): boolean {
    const room = this.cap - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, Math.max(0, room)));
      this.size = this.cap;
      this.truncated = true;
      return false;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export class Sandbox {
  private wasmer: Wasmer | undefined;
  private starting: Promise<Wasmer> | undefined;

  private async client(): Promise<Wasmer> {
    if (this.wasmer) return this.wasmer;
    this.starting ??= new Wasmer({ cache: false }).ready().then((client) => (this.wasmer = client));
    return this.starting;
  }

  async load(wasm: Uint8Array): Promise<Package> {
    const client = await this.client();
    return client.packages.load(wasm);
  }

  async run(pkg: Package, stdin: string, limits: RunLimits): Promise<ProgramOutcome> {
    const client = await this.client();
    const sandbox = await client.sandboxes.create({ packages: [pkg], network: { mode: 'disabled' } });
    const started = performance.now();
    const stdout = new CappedText(limits.outputBytes);
    const stderr = new CappedText(limits.outputBytes);
    let stoppedFor: 'timeout' | 'output_limit' | undefined;
    let process: Process | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const stop = (reason: 'timeout' | 'output_limit') => {
      stoppedFor ??= reason;
      void process?.kill().catch(() => {});
    };
    try {
      process = await sandbox.command(pkg, []).spawn({ stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
      watchdog = setTimeout(() => stop('timeout'), limits.runMs);
      const pump = async (stream: AsyncIterable<Uint8Array> | null, sink: CappedText) => {
        if (!stream) return;
        for await (const chunk of stream) {
          if (!sink.push(chunk)) stop('output_limit');
        }
      };
      const pumps = Promise.all([pump(process.stdout, stdout), pump(process.stderr, stderr)]).catch(() => {});
      const feed = (async () => {
        await process.stdin?.write(stdin);
        await process.stdin?.close();
      })().catch(() => {}); // a program may exit without reading its input
      let exitCode: number | null = null;
      let trapMessage: string | undefined;
      try {
        const output = await Promise.race([process.wait({ check: false }), delay(limits.runMs + KILL_GRACE_MS).then(() => null)]);
        if (output === null) stop('timeout'); // the kill did not take: give up on this instance
        else exitCode = output.exitCode;
      } catch (error) {
        trapMessage = error instanceof Error ? error.message : String(error);
      }
      // After a kill the output streams never end; after a normal exit they end promptly.
      await Promise.race([Promise.all([feed, pumps]), delay(stoppedFor ? 20 : STREAM_DRAIN_MS)]);
      const ms = Math.round(performance.now() - started);
      const kind: ExitKind = stoppedFor ?? (trapMessage === undefined ? 'exited' : 'trapped');
      return {
        kind,
        exitCode: kind === 'exited' ? exitCode : null,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        trapMessage: kind === 'trapped' ? trapMessage : undefined,
        ms,
      };
    } finally {
      clearTimeout(watchdog);
      // Closing can hang after a kill (see the guide); never wait for it.
      void sandbox.close().catch(() => {});
    }
  }

  /**
   * Runs one loaded package once per input, each in a sandbox instance of its own (so that no
   * case can leave anything behind for the next), `caseLanes` of them at once, starting them in
   * `order` (input indices; default: input order). The outcomes come back in input order, and
   * `onOutcome` hears of each as it ends.
   */
  async runAll(
    pkg: Package,
    inputs: string[],
    limits: RunLimits & { caseLanes: number },
    onOutcome?: (outcome: ProgramOutcome) => void,
    order: readonly number[] = inputs.map((_, index) => index),
  ): Promise<ProgramOutcome[]> {
    if (order.length !== inputs.length || new Set(order).size !== inputs.length || order.some((index) => !(index in inputs))) {
      throw new RangeError('the run order must name every input once');
    }
    const outcomes: ProgramOutcome[] = new Array(inputs.length);
    let next = 0;
    const lane = async () => {
      for (let index = order[next++]; index !== undefined; index = order[next++]) {
        let outcome: ProgramOutcome;
        try {
          outcome = await this.run(pkg, inputs[index]!, limits);
        } catch (error) {
          next = order.length; // the other lanes start nothing more
          throw error;
        }
        outcomes[index] = outcome;
        onOutcome?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limits.caseLanes, inputs.length)) }, lane));
    return outcomes;
  }

  /** Releases the runtime; bounded, because the SDK's close can hang after a kill. */
  async close(): Promise<void> {
    const client = this.wasmer;
    this.wasmer = undefined;
    this.starting = undefined;
    if (!client) return;
    await Promise.race([client.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
  }
}

/**
 * Input indices, slowest first by the times given (stable for equal times): started in this order,
 * a long case does not begin last and leave the other lanes idle.
 */
export function longestFirst(times: readonly number[]): number[] {
  return times.map((_, index) => index).sort((a, b) => times[b]! - times[a]! || a - b);
}
