// Worker thread that owns one warm instance of clang-in-WebAssembly (@yowasp/clang).
// It is plain JavaScript so that Node, tsx and vitest all start it the same way.
// The parent can terminate() it at any moment: that is how a runaway compile is stopped.
import { parentPort } from 'node:worker_threads';
import { runClang, runLLVM } from '@yowasp/clang';

// The toolchain's bindings check process.env.JCO_DEBUG on every internal step (tens of thousands
// of times per compile). In a worker, process.env is a host object whose every read goes through
// C++; a plain copy is read at JavaScript speed. The worker never sets environment variables.
process.env = { ...process.env };

const decoder = new TextDecoder();
let lastPercent = -1;
// Once the toolchain's files are loaded, each step runs synchronously: the toolchain is then
// instantiated with `new WebAssembly.Instance` rather than the promise API, which measured ~8 ms
// less per step here. The worker serves one request at a time, so blocking it costs nothing.
let loaded = false;

function reportProgress(event) {
  const percent = event.totalLength ? Math.floor((100 * event.doneLength) / event.totalLength) : 0;
  if (percent !== lastPercent && (percent % 25 === 0 || percent === 100)) {
    lastPercent = percent;
    parentPort.postMessage({ type: 'progress', percent });
  }
}

async function capture(run) {
  let output = '';
  const collect = (bytes) => {
    if (bytes) output += decoder.decode(bytes, { stream: true });
  };
  try {
    const files = await run({ stdout: collect, stderr: collect, fetchProgress: reportProgress, synchronously: loaded });
    return { exitCode: 0, files, output };
  } catch (error) {
    // The toolchain reports failure by throwing an Exit carrying the status code.
    if (error && typeof error.code === 'number') return { exitCode: error.code, files: {}, output };
    throw error;
  }
}

// clang's driver only turns arguments into the commands it runs (cc1, then wasm-ld), and each
// step instantiates the whole toolchain anew. The driver's answer depends on the arguments alone,
// so it is asked once per distinct argument list (`clang -###`, as runClang does) and the
// commands are run directly after that: one instantiation fewer per compile.
const plans = new Map();
const MAX_PLANS = 64;

function unquote(line) {
  return Array.from(line.matchAll(/ (?:([^ "]+)|"((?:[^"\\$]|\\["\\$])+)")/g), (match) =>
    match[1] !== undefined ? match[1] : match[2].replaceAll(/\\["$\\]/g, (escaped) => escaped[1]),
  );
}

/** The commands `clang args` would run, or null when the driver's answer cannot be read. */
async function plan(args, files) {
  const key = JSON.stringify(args);
  if (plans.has(key)) return plans.get(key);
  const result = await capture((options) => runLLVM([args[0], '-###', ...args.slice(1)], files, options));
  if (result.exitCode !== 0) return null; // e.g. a missing input: runClang reports it properly
  const commands = [];
  let inCommands = false;
  for (const line of result.output.split('\n')) {
    if (line.startsWith(' "')) {
      inCommands = true;
      const command = unquote(line);
      if (command[0] === '') command.shift();
      commands.push(command);
    } else if (line === ' (in-process)') continue;
    else if (inCommands) break;
  }
  const usable = commands.length > 0 && commands.every((command) => command.length > 1) ? commands : null;
  if (plans.size >= MAX_PLANS) plans.delete(plans.keys().next().value);
  plans.set(key, usable);
  return usable;
}

/** The index of a cc1 command's output path (after `-o`), or -1. */
function objectOutputIndex(command) {
  if (command[1] !== '-cc1') return -1;
  const at = command.indexOf('-o');
  return at > 0 && at + 1 < command.length && command[at + 1] !== '-' ? at + 1 : -1;
}

/** Puts `bytes` at `path` (absolute or relative to the root) in a file tree. */
function placeFile(tree, path, bytes) {
  const parts = path.split('/').filter(Boolean);
  let directory = tree;
  for (const part of parts.slice(0, -1)) directory = directory[part] ??= {};
  directory[parts[parts.length - 1]] = bytes;
}

/**
 * Runs one cc1 step with its object written to stdout instead of its output file, then puts the
 * object where the file would have been. cc1 writes a file a few bytes at a time, and the
 * toolchain's in-memory file system copies the whole file on every write; through stdout the
 * object comes in a handful of chunks (~25 ms less per compile here).
 */
async function runCompileStep(command, at, tree, options) {
  const chunks = [];
  const stdout = (bytes) => {
    if (bytes) chunks.push(bytes);
  };
  const result = await runLLVM(command.with(at, '-'), tree, { ...options, stdout });
  placeFile(result, command[at], Buffer.concat(chunks));
  return result;
}

async function compile(args, files) {
  const commands = await plan(args, files);
  if (!commands) return capture((options) => runClang(args, files, options));
  return capture(async (options) => {
    let tree = files;
    for (const command of commands) {
      const at = objectOutputIndex(command);
      tree = at < 0 ? await runLLVM(command, tree, options) : await runCompileStep(command, at, tree, options);
    }
    delete tree.tmp;
    return tree;
  });
}

async function handle(request) {
  if (request.kind === 'load') {
    // runClang does not pass fetchProgress on, so the first load goes through runLLVM.
    await capture((options) => runLLVM(['clang', '--version'], {}, options));
    loaded = true;
    return { exitCode: 0, output: '' };
  }
  if (request.kind === 'compile') {
    const result = await compile(request.args, request.files);
    const wasm = result.exitCode === 0 ? result.files[request.output] : undefined;
    return { exitCode: result.exitCode, output: result.output, wasm };
  }
  if (request.kind === 'symbolize') {
    const args = ['llvm-symbolizer', '--obj=prog.wasm', '--inlining', '--output-style=JSON', ...request.addresses];
    const result = await capture((options) => runLLVM(args, { 'prog.wasm': request.wasm }, options));
    return { exitCode: result.exitCode, output: result.output };
  }
  throw new Error(`unknown request kind ${request.kind}`);
}

parentPort.on('message', async (request) => {
  try {
    const value = await handle(request);
    const transfer = value.wasm ? [value.wasm.buffer] : [];
    parentPort.postMessage({ type: 'done', id: request.id, value }, transfer);
  } catch (error) {
    parentPort.postMessage({ type: 'failed', id: request.id, message: String(error?.stack ?? error) });
  }
});
