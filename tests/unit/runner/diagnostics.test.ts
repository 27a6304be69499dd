import { describe, expect, it } from 'vitest';
import { parseDiagnostics } from '../../../server/src/runner/core/diagnostics.ts';
import { readWasmInfo } from '../../../server/src/runner/core/wasm-info.ts';

describe('parseDiagnostics', () => {
  it('keeps the candidate file, maps fatal errors, explains undefined symbols', () => {
    const output = [
      "candidate.c:4:12: error: expected ';' after expression",
      '    4 |   return x',
      "driver.c:10:3: warning: unused variable 'y' [-Wunused-variable]",
      "candidate.c:1:10: fatal error: 'nope.h' file not found",
      '/candidate.c:7:1: note: declared here',
      'wasm-ld: error: candidate.o: undefined symbol: ring_push',
    ].join('\n');
    expect(parseDiagnostics(output, 'candidate.c')).toEqual([
      { line: 4, column: 12, severity: 'error', message: "expected ';' after expression" },
      { line: 1, column: 10, severity: 'error', message: "'nope.h' file not found" },
      { line: 7, column: 1, severity: 'note', message: 'declared here' },
      { line: 1, column: 1, severity: 'error', message: 'link error: ring_push is used but never defined' },
    ]);
  });
});

describe('readWasmInfo', () => {
  it('reads the memory maximum and the code section offset', () => {
    // (module (memory 1 16) (func)) with a type, function, memory and code section.
    const bytes = Uint8Array.from([
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00,
      0x01,
      0x04,
      0x01,
      0x60,
      0x00,
      0x00, // type: () -> ()
      0x03,
      0x02,
      0x01,
      0x00, // function: type 0
      0x05,
      0x04,
      0x01,
      0x01,
      0x01,
      0x10, // memory: min 1, max 16 pages
      0x0a,
      0x04,
      0x01,
      0x02,
      0x00,
      0x0b, // code: one empty body
    ]);
    expect(readWasmInfo(bytes)).toEqual({ memoryMaxBytes: 16 * 65536, memoryImported: false, codeOffset: 26, imports: [] });
  });

  it('names every import, so that anything but WASI can be refused', () => {
    // (module (type (func)) (import "env" "f" (func (type 0))))
    const bytes = Uint8Array.from([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
    ]);
    expect(readWasmInfo(bytes).imports).toEqual([{ name: 'env.f', kind: 0 }]);
  });

  it('reports a memory without maximum, and rejects non-wasm bytes', () => {
    const bytes = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01]);
    expect(readWasmInfo(bytes).memoryMaxBytes).toBeNull();
    expect(() => readWasmInfo(Uint8Array.from([1, 2, 3]))).toThrow(/not a WebAssembly module/);
  });
});
