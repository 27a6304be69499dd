// Worker thread that owns one warm instance of clang-in-WebAssembly (@yowasp/clang).
// It is plain JavaScript so that Node, tsx and vitest all start it the same way.
// The parent can terminate() it at any moment: that is how a runaway compile is stopped.
import { parentPort } from 'node:worker_threads';
import { runClang, runLLVM } from '@yowasp/clang';

const decoder = new TextDecoder();
let lastPercent = -1;

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
    const files = await run({ stdout: collect, stderr: collect, fetchProgress: reportProgress });
    return { exitCode: 0, files, output };
  } catch (error) {
    // The toolchain reports failure by throwing an Exit carrying the status code.
    if (error && typeof error.code === 'number') return { exitCode: error.code, files: {}, output };
    throw error;
  }
}

async function handle(request) {
  if (request.kind === 'load') {
    // runClang does not pass fetchProgress on, so the first load goes through runLLVM.
    await capture((options) => runLLVM(['clang', '--version'], {}, options));
    return { exitCode: 0, output: '' };
  }
  if (request.kind === 'compile') {
    const result = await capture((options) => runClang(request.args, request.files, options));
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
