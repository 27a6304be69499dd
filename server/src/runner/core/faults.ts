// Explains why a program stopped: the engine's trap message says what the machine saw, the
// symbolized stack (DWARF from -g) says where in the candidate's code, and clang's trap-reason
// frames (`__clang_trap_msg$...`) say which undefined-behaviour check fired.
import type { Fault, FaultKind } from '../../../../common/exercise.ts';
import { OUT_OF_MEMORY_MARKER } from './shim.ts';

export interface WasmFrame {
  function: string;
  /** Byte offset in the module file. */
  offset: number;
}

/** One symbolized location, innermost inlined frame first (llvm-symbolizer's JSON shape). */
export interface SourceFrame {
  FunctionName?: string;
  FileName?: string;
  Line?: number;
}

export interface FaultContext {
  trapMessage: string;
  stderr: string;
  stackBytes: number;
  memoryBytes: number;
  candidateFile: string;
  /** More files of the candidate's own (a console run links two): a located fault then names its file. */
  otherFiles?: readonly string[];
  /** Source frames for each wasm frame of the trace, innermost first (may be empty). */
  locate(frames: WasmFrame[]): Promise<SourceFrame[][]>;
}

const FRAME = /at (?<name>\S+) \(wasm:\/\/wasm\/[^)\s]*:0x(?<offset>[0-9a-f]+)\)/g;
const TRAP_REASON_PREFIX = '__clang_trap_msg$';

export function parseWasmFrames(message: string): WasmFrame[] {
  const frames: WasmFrame[] = [];
  for (const match of message.matchAll(FRAME)) {
    const name = match.groups!.name!;
    const dot = name.lastIndexOf('.wasm.');
    frames.push({ function: dot >= 0 ? name.slice(dot + '.wasm.'.length) : name, offset: parseInt(match.groups!.offset!, 16) });
  }
  return frames;
}

/** A trace that is one or two functions calling themselves over and over. */
function looksLikeRunawayRecursion(frames: WasmFrame[]): boolean {
  return frames.length >= 8 && new Set(frames.map((frame) => frame.function)).size <= 2;
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/** Maps a clang trap reason ("Integer divide by zero", ...) to a fault. */
function undefinedBehaviour(reason: string): { kind: FaultKind; message: string } {
  const text = reason.toLowerCase();
  // With alignment and object-size checks off, this shared check is the NULL check alone.
  if (text.includes('null')) return { kind: 'null_dereference', message: 'NULL pointer dereference' };
  // One check covers x / 0 and INT_MIN / -1; zero is by far the usual cause.
  if (text.includes('divide') || text.includes('division')) {
    return { kind: 'divide_by_zero', message: 'Integer division by zero (or INT_MIN / -1)' };
  }
  if (text.includes('overflow')) return { kind: 'signed_overflow', message: `Signed integer overflow (${reason})` };
  if (text.includes('out of bounds')) return { kind: 'out_of_bounds', message: `Out-of-bounds access (${reason})` };
  return { kind: 'undefined_behavior', message: `Undefined behaviour: ${reason}` };
}

function fromTrapMessage(context: FaultContext, frames: WasmFrame[], trapReason: string | undefined): { kind: FaultKind; message: string } {
  const { trapMessage, stderr } = context;
  if (stderr.includes(OUT_OF_MEMORY_MARKER)) {
    return { kind: 'memory_exhausted', message: `Out of memory: an allocation failed at the ${mebibytes(context.memoryBytes)} limit, and the program then crashed` };
  }
  if (trapMessage.includes('Maximum call stack size exceeded') || trapMessage.includes('call stack exhausted')) {
    return { kind: 'stack_overflow', message: 'Stack overflow: the recursion went too deep' };
  }
  if (trapMessage.includes('unreachable')) {
    if (trapReason) return undefinedBehaviour(trapReason);
    if (frames[0]?.function === 'abort' || frames.some((frame) => frame.function === '__assert_fail')) {
      const assertion = stderr.split('\n').find((line) => line.startsWith('Assertion failed'));
      if (assertion) return { kind: 'assertion_failed', message: assertion.trim() };
      return { kind: 'abort', message: 'The program called abort()' };
    }
    return { kind: 'undefined_behavior', message: 'Reached code that must never run (__builtin_trap or __builtin_unreachable)' };
  }
  if (trapMessage.includes('memory access out of bounds')) {
    if (looksLikeRunawayRecursion(frames)) {
      return { kind: 'stack_overflow', message: `Stack overflow: the recursion used more than the ${mebibytes(context.stackBytes)} stack` };
    }
    return { kind: 'out_of_bounds', message: "Memory access outside the program's memory (a wild or dangling pointer, or an index far out of range)" };
  }
  if (trapMessage.includes('divide by zero')) return { kind: 'divide_by_zero', message: 'Integer division by zero' };
  if (trapMessage.includes('integer overflow')) return { kind: 'signed_overflow', message: 'Integer overflow in division (INT_MIN / -1)' };
  const firstLine = trapMessage.split('\n').find((line) => line.trim()) ?? 'unknown trap';
  return { kind: 'trap', message: `The program trapped: ${firstLine.replace(/^.*RuntimeError: (js: )?/, '')}` };
}

/** wasi-libc renames main depending on its signature. */
function cName(name: string): string {
  return name === '__original_main' || name === '__main_argc_argv' ? 'main' : name;
}

export async function classifyFault(context: FaultContext): Promise<Fault & { file?: string }> {
  const frames = parseWasmFrames(context.trapMessage);
  let located: SourceFrame[][] = [];
  try {
    located = frames.length ? await context.locate(frames) : [];
  } catch {
    located = []; // without debug info we still know the kind and the function
  }
  const innermost = located[0] ?? [];
  const reasonFrame = innermost.find((frame) => frame.FunctionName?.startsWith(TRAP_REASON_PREFIX));
  const trapReason = reasonFrame?.FunctionName?.split('$').pop();
  const { kind, message } = fromTrapMessage(context, frames, trapReason);
  const fault: Fault & { file?: string } = { kind, message };
  // The innermost frame that is the candidate's own code, inlined frames included.
  const files = [context.candidateFile, ...(context.otherFiles ?? [])];
  const fileOf = (frame: SourceFrame) => files.find((f) => frame.FileName === f || !!frame.FileName?.endsWith(`/${f}`));
  const isCandidate = (frame: SourceFrame) => fileOf(frame) !== undefined && !frame.FunctionName?.startsWith(TRAP_REASON_PREFIX);
  const at = located.findIndex((group) => group.some(isCandidate));
  const group = located[at] ?? [];
  const own = group.find(isCandidate);
  // The engine names the wasm function itself (from the name section); the debug info's names can
  // be off by one function when the compiler added functions of its own (the fuel counter's
  // module constructor), so the engine's name wins for the frame that is not inlined.
  const engineName = own && own === group[group.length - 1] ? frames[at]?.function : undefined;
  if (engineName) fault.function = cName(engineName);
  else if (own?.FunctionName) fault.function = cName(own.FunctionName);
  if (own?.Line) fault.line = own.Line;
  if (own && context.otherFiles?.length) fault.file = fileOf(own);
  if (!fault.function) {
    const named = frames.find((frame) => !frame.function.startsWith('__') && frame.function !== 'abort');
    if (named) fault.function = cName(named.function);
  }
  return fault;
}
