// Worker thread that hosts one @wasmer/sdk runtime and runs one program instance at a time.
// It is plain JavaScript so that Node, tsx and vitest all start it the same way.
//
// Why a thread of our own: the SDK's kill() makes the process look ended, but a guest computing
// without system calls (`for (;;);`) goes on in the SDK's thread: measured, +2 threads and a busy
// core per killed run, for as long as the process lives. V8 does stop WebAssembly when the worker
// that owns it is terminated, so the parent (sandbox.ts) owns the wall clock and terminates this
// worker when a run passes its limit, and also after any run this worker had to kill (output
// caps); then another takes its place. A run that ends by itself leaves the worker in service.
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { Wasmer } from '@wasmer/sdk/node';

const STREAM_DRAIN_MS = 1_000;
/** Programs kept loaded (compiled by V8) in this worker, least recently used out first. */
const LOADED_PROGRAMS = 16;

const client = await new Wasmer({ cache: false }).ready();
/** Program id -> Promise<Package>, in least-recently-used order (Map keeps insertion order). */
const loaded = new Map();

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function packageFor(id, wasm) {
  let pkg = loaded.get(id);
  if (pkg) loaded.delete(id);
  else {
    // The id is the parent's sha256 of the bytes; check it, a wrong id would run another program.
    if (createHash('sha256').update(wasm).digest('hex') !== id) throw new Error('program id does not match its bytes');
    pkg = client.packages.load(wasm);
  }
  loaded.set(id, pkg);
  while (loaded.size > LOADED_PROGRAMS) loaded.delete(loaded.keys().next().value);
  return pkg;
}

/**
 * Runs one instance. Output chunks go to the parent as they come (so that what a program printed
 * before it hung is not lost if the parent has to terminate this worker); each stream is capped.
 */
async function run({ id, program, wasm, stdin, env, outputBytes }) {
  const pkg = await packageFor(program, wasm);
  const sandbox = await client.sandboxes.create({ packages: [pkg], network: { mode: 'disabled' } });
  const started = performance.now();
  const sizes = { stdout: 0, stderr: 0 };
  let stoppedFor;
  let process;
  const stop = (reason) => {
    stoppedFor ??= reason;
    void process?.kill().catch(() => {});
  };
  try {
    process = await sandbox.command(pkg, [], { env }).spawn({ stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' });
    const pump = async (stream, name) => {
      if (!stream) return;
      for await (const chunk of stream) {
        const room = outputBytes - sizes[name];
        const kept = chunk.length > room ? chunk.subarray(0, Math.max(0, room)) : chunk;
        sizes[name] += kept.length;
        if (kept.length > 0) parentPort.postMessage({ type: 'output', id, stream: name, bytes: kept });
        if (chunk.length > room) {
          parentPort.postMessage({ type: 'output', id, stream: name, bytes: new Uint8Array(0), truncated: true });
          stop('output_limit');
        }
      }
    };
    const pumps = Promise.all([pump(process.stdout, 'stdout'), pump(process.stderr, 'stderr')]).catch(() => {});
    const feed = (async () => {
      await process.stdin?.write(stdin);
      await process.stdin?.close();
    })().catch(() => {}); // a program may exit without reading its input
    let exitCode = null;
    let trapMessage;
    try {
      exitCode = (await process.wait({ check: false })).exitCode;
    } catch (error) {
      trapMessage = error instanceof Error ? error.message : String(error);
    }
    // After a kill the output streams never end; after a normal exit they end promptly.
    await Promise.race([Promise.all([feed, pumps]), delay(stoppedFor ? 20 : STREAM_DRAIN_MS)]);
    const kind = stoppedFor ?? (trapMessage === undefined ? 'exited' : 'trapped');
    const ms = Math.round(performance.now() - started);
    // `killed`: the SDK stopped it; its thread may still compute, so the parent retires this worker.
    return { kind, exitCode: kind === 'exited' ? exitCode : null, trapMessage: kind === 'trapped' ? trapMessage : undefined, ms, killed: stoppedFor !== undefined };
  } finally {
    // Closed before the next run starts (~1 ms here), so that the runtime reuses its instance
    // thread instead of starting another; bounded, because closing can hang after a kill (and
    // such a worker is retired anyway).
    await Promise.race([sandbox.close().catch(() => {}), delay(200)]);
  }
}

parentPort.on('message', (request) => {
  run(request).then(
    (outcome) => parentPort.postMessage({ type: 'done', id: request.id, outcome }),
    (error) => parentPort.postMessage({ type: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) }),
  );
});
// The smallest WASI command (a memory and an empty _start), run once before the worker says it is
// ready: the runtime then has the threads it keeps for its instances, and its code is compiled,
// so a fresh worker's first real run is as fast as any other, and a worker that replaced a
// terminated one leaves the process exactly as its predecessor did.
const EMPTY_COMMAND = Uint8Array.from([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x04,
  0x01,
  0x60,
  0x00,
  0x00, // type section: () -> ()
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x05,
  0x03,
  0x01,
  0x00,
  0x01, // memory section: one memory, 1 page
  0x07,
  0x13,
  0x02,
  0x06,
  0x6d,
  0x65,
  0x6d,
  0x6f,
  0x72,
  0x79,
  0x02,
  0x00,
  0x06,
  0x5f,
  0x73,
  0x74,
  0x61,
  0x72,
  0x74,
  0x00,
  0x00, // exports
  0x0a,
  0x04,
  0x01,
  0x02,
  0x00,
  0x0b, // code section: an empty body
]);
const warmUp = await run({ id: 0, program: createHash('sha256').update(EMPTY_COMMAND).digest('hex'), wasm: EMPTY_COMMAND, stdin: '', env: {}, outputBytes: 0 });
if (warmUp.kind !== 'exited') throw new Error(`the sandbox's warm-up run ended as ${warmUp.kind}`);
parentPort.postMessage({ type: 'ready' });
