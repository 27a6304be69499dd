// The two stages of every job: build (C -> checked WebAssembly module) and execute (one run of
// that module in a fresh sandbox instance, with the outcome explained).
import { createHash } from 'node:crypto';
import type { Package } from '@wasmer/sdk/node';
import type { Fault } from '../../../common/exercise.ts';
import type { Compiler, FileTree } from './compiler.ts';
import { classifyFault, type SourceFrame, type WasmFrame } from './faults.ts';
import type { RunnerLimits } from './limits.ts';
import type { ProgramOutcome, Sandbox } from './sandbox.ts';
import { OUT_OF_MEMORY_MARKER, SHIM_FILE, WRAPPED_ALLOCATORS, shimSource } from './shim.ts';
import { readWasmInfo, type WasmInfo } from './wasm-info.ts';

export const CANDIDATE_FILE = 'candidate.c';
const OUTPUT_FILE = 'prog.wasm';
const TRUSTED_COMPILE_MS = 60_000;

/** Compiler flags chosen so that mistakes surface as explained faults instead of silent corruption. */
function compileFlags(): string[] {
  return [
    '-std=c17', '-O1', '-g', '-Wall', '-Wextra',
    // Undefined behaviour traps (no runtime library needed); one trap per check so the
    // debug info can name which check fired. Alignment and object-size checks share their trap
    // with the NULL check; without them a pointer trap can be reported plainly as a NULL
    // dereference (misaligned loads are well defined on WebAssembly).
    '-fsanitize=undefined', '-fno-sanitize=alignment,object-size', '-fsanitize-trap=all', '-fno-sanitize-merge',
    '-fno-color-diagnostics', '-Iinclude',
  ];
}

function linkFlags(limits: RunnerLimits): string[] {
  return [
    `-Wl,--max-memory=${limits.memoryBytes}`,
    // Stack at the bottom of memory: an overflow leaves memory and traps, instead of
    // overwriting globals.
    '-Wl,--stack-first', `-Wl,-z,stack-size=${limits.stackBytes}`,
    ...WRAPPED_ALLOCATORS.map((name) => `-Wl,--wrap=${name}`),
  ];
}

/** Everything that decides what a build produces, for cache keys. */
export function buildFingerprint(limits: RunnerLimits): string {
  return JSON.stringify([compileFlags(), linkFlags(limits)]);
}

/**
 * Object files that do not change between jobs (the exercise's test driver, the runner's shim),
 * compiled once and linked into each program: a job then compiles only the candidate's file.
 */
export class ObjectCache {
  private readonly byKey = new Map<string, Promise<Uint8Array>>();

  get(compiler: Compiler, limits: RunnerLimits, name: string, source: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
    const key = createHash('sha256').update(JSON.stringify([buildFingerprint(limits), name, source, headers])).digest('hex');
    let object = this.byKey.get(key);
    if (!object) {
      object = this.compile(compiler, limits, name, source, headers);
      this.byKey.set(key, object);
      object.catch(() => this.byKey.delete(key));
    }
    return object;
  }

  private async compile(compiler: Compiler, limits: RunnerLimits, name: string, source: string, headers: Record<string, string>): Promise<Uint8Array> {
    const output = name.replace(/\.c$/, '.o');
    const files: FileTree = { [name]: source, include: { ...headers } };
    // Trusted code: the candidate's compile limit does not apply, but a hang still must not be forever.
    const timeoutMs = Math.max(limits.compileMs, TRUSTED_COMPILE_MS);
    const compiled = await compiler.compile(['clang', ...compileFlags(), '-c', name, '-o', output], files, output, timeoutMs);
    if (compiled.kind !== 'compiled') throw new Error(`${name} does not compile (${compiled.kind}):\n${compiled.output}`);
    return compiled.wasm;
  }
}

export async function shimObject(objects: ObjectCache, compiler: Compiler, limits: RunnerLimits): Promise<Record<string, Uint8Array>> {
  return { [SHIM_FILE.replace(/\.c$/, '.o')]: await objects.get(compiler, limits, SHIM_FILE, shimSource(limits.memoryBytes)) };
}

export interface Program {
  wasm: Uint8Array;
  info: WasmInfo;
  pkg: Package;
}

export type BuildResult =
  | { kind: 'built'; program: Program; output: string; ms: number }
  | { kind: 'compile_error' | 'timeout' | 'memory_limit'; output: string; ms: number; error?: string };

/**
 * Compiles the candidate's source (or several sources, by file name) and links it with prebuilt
 * `objects` (by file name).
 */
export async function build(
  compiler: Compiler,
  sandbox: Sandbox,
  limits: RunnerLimits,
  source: string | Record<string, string>,
  objects: Record<string, Uint8Array>,
  headers: Record<string, string> = {},
): Promise<BuildResult> {
  const sources = typeof source === 'string' ? { [CANDIDATE_FILE]: source } : source;
  const files: FileTree = { ...sources, ...objects, include: { ...headers } };
  const args = ['clang', ...compileFlags(), ...Object.keys(sources), ...Object.keys(objects), '-o', OUTPUT_FILE, ...linkFlags(limits)];
  const compiled = await compiler.compile(args, files, OUTPUT_FILE, limits.compileMs);
  if (compiled.kind === 'timeout') {
    return { kind: 'timeout', output: compiled.output, ms: compiled.ms, error: `compilation took longer than ${limits.compileMs} ms and was stopped` };
  }
  if (compiled.kind === 'failed') return { kind: 'compile_error', output: compiled.output, ms: compiled.ms };
  const info = readWasmInfo(compiled.wasm);
  // The sandbox has no memory limit of its own: refuse any module that could grow past ours.
  if (info.memoryImported || info.memoryMaxBytes === null || info.memoryMaxBytes > limits.memoryBytes) {
    return { kind: 'memory_limit', output: compiled.output, ms: compiled.ms, error: 'the compiled program does not declare a memory maximum within the limit' };
  }
  const pkg = await sandbox.load(compiled.wasm);
  return { kind: 'built', program: { wasm: compiled.wasm, info, pkg }, output: compiled.output, ms: compiled.ms };
}

export interface Execution extends ProgramOutcome {
  fault?: Fault & { file?: string };
  /** An allocation failed at the memory limit during this run. */
  outOfMemory: boolean;
}

export async function execute(
  compiler: Compiler,
  sandbox: Sandbox,
  limits: RunnerLimits,
  program: Program,
  stdin: string,
  /** The candidate's own files, for placing a fault (several for a console run). */
  ownFiles: readonly string[] = [CANDIDATE_FILE],
): Promise<Execution> {
  const outcome = await sandbox.run(program.pkg, stdin, limits);
  const outOfMemory = outcome.stderr.includes(OUT_OF_MEMORY_MARKER);
  if (outcome.kind !== 'trapped') return { ...outcome, outOfMemory };
  const locate = async (frames: WasmFrame[]): Promise<SourceFrame[][]> => {
    const addresses = frames.map((frame) => frame.offset - program.info.codeOffset);
    const symbolized = (await compiler.symbolize(program.wasm, addresses)) as Array<{ Symbol?: SourceFrame[] }>;
    return symbolized.map((entry) => entry.Symbol ?? []);
  };
  const fault = await classifyFault({
    trapMessage: outcome.trapMessage ?? '',
    stderr: outcome.stderr,
    stackBytes: limits.stackBytes,
    memoryBytes: limits.memoryBytes,
    candidateFile: ownFiles[0] ?? CANDIDATE_FILE,
    ...(ownFiles.length > 1 ? { otherFiles: ownFiles.slice(1) } : {}),
    locate,
  });
  return { ...outcome, fault, outOfMemory };
}
