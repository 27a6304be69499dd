// Reads the two facts the runner needs from a WebAssembly binary's section headers: the memory's
// declared maximum (the sandbox has no memory limit of its own, so this is the limit) and where
// the code section starts (V8 reports trap offsets from the file start; DWARF counts from there).
import { utf8Decoder } from './platform.ts';

export interface WasmInfo {
  /** Declared maximum of the module's memory in bytes; null when it has none. */
  memoryMaxBytes: number | null;
  /** True when the memory is imported (its limits would then be the host's choice). */
  memoryImported: boolean;
  /** File offset of the code section's payload. */
  codeOffset: number;
  /** Every import as "module.name" with its kind (0 function, 1 table, 2 memory, 3 global, 4 tag). */
  imports: Array<{ name: string; kind: number }>;
}

const PAGE = 64 * 1024;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_CODE = 10;

class Reader {
  constructor(
    private readonly bytes: Uint8Array,
    public offset = 0,
  ) {}

  byte(): number {
    const value = this.bytes[this.offset++];
    if (value === undefined) throw new Error('truncated WebAssembly module');
    return value;
  }

  /** Unsigned LEB128; values here stay below 2^53. */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  skip(count: number): void {
    this.offset += count;
  }

  name(): string {
    const length = this.uleb();
    const text = utf8Decoder.decode(this.bytes.subarray(this.offset, this.offset + length));
    this.skip(length);
    return text;
  }

  /** Memory or table limits; returns the maximum, if any. */
  limits(): number | null {
    const flags = this.byte();
    this.uleb();
    return flags & 1 ? this.uleb() : null;
  }
}

export function readWasmInfo(bytes: Uint8Array): WasmInfo {
  const magic = [0x00, 0x61, 0x73, 0x6d];
  if (bytes.length < 8 || magic.some((value, index) => bytes[index] !== value)) {
    throw new Error('not a WebAssembly module');
  }
  const reader = new Reader(bytes, 8);
  const info: WasmInfo = { memoryMaxBytes: null, memoryImported: false, codeOffset: -1, imports: [] };
  while (reader.offset < bytes.length) {
    const id = reader.byte();
    const size = reader.uleb();
    const end = reader.offset + size;
    if (id === SECTION_MEMORY) {
      if (reader.uleb() > 0) {
        const maxPages = reader.limits();
        info.memoryMaxBytes = maxPages === null ? null : maxPages * PAGE;
      }
    } else if (id === SECTION_IMPORT) {
      readImports(reader, info);
    } else if (id === SECTION_CODE) {
      info.codeOffset = reader.offset;
    }
    reader.offset = end;
  }
  return info;
}

function readImports(reader: Reader, info: WasmInfo): void {
  const count = reader.uleb();
  for (let index = 0; index < count; index++) {
    const name = `${reader.name()}.${reader.name()}`;
    const kind = reader.byte();
    info.imports.push({ name, kind });
    if (kind === 0)
      reader.uleb(); // function: type index
    else if (kind === 1) {
      reader.byte(); // table: element type
      reader.limits();
    } else if (kind === 2) {
      info.memoryImported = true;
      const maxPages = reader.limits();
      info.memoryMaxBytes = maxPages === null ? null : maxPages * PAGE;
    } else if (kind === 3)
      reader.skip(2); // global: value type, mutability
    else if (kind === 4) {
      reader.byte(); // tag: attribute, then type index
      reader.uleb();
    } else throw new Error(`unknown import kind ${kind}`);
  }
}
