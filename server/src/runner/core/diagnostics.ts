// Turns clang and wasm-ld output into editor-ready diagnostics for the candidate's file.
import type { Diagnostic, Severity } from '../../../../common/exercise.ts';

const CLANG_LINE = /^(?<file>[^:\n]+):(?<line>\d+):(?<column>\d+): (?<severity>fatal error|error|warning|note): (?<message>.*)$/;
const LINKER_LINE = /^wasm-ld: error: (?:[^:\n]*: )?(?<message>.*)$/;

/**
 * Diagnostics located in `candidateFile`, plus linker errors (e.g. a function the tests call that
 * the candidate did not define), which have no line of their own and are placed on line 1.
 */
export function parseDiagnostics(output: string, candidateFile: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const text of output.split('\n')) {
    const clang = CLANG_LINE.exec(text)?.groups;
    if (clang) {
      if (clang.file !== candidateFile && !clang.file!.endsWith(`/${candidateFile}`)) continue;
      const severity: Severity = clang.severity === 'fatal error' ? 'error' : (clang.severity as Severity);
      diagnostics.push({ line: Number(clang.line), column: Number(clang.column), severity, message: clang.message! });
      continue;
    }
    const linker = LINKER_LINE.exec(text)?.groups;
    if (linker) diagnostics.push({ line: 1, column: 1, severity: 'error', message: explainLinkerError(linker.message!) });
  }
  return diagnostics;
}

function explainLinkerError(message: string): string {
  const undefinedSymbol = /^undefined symbol: (\S+)/.exec(message);
  if (undefinedSymbol) return `link error: ${undefinedSymbol[1]} is used but never defined`;
  return `link error: ${message}`;
}
