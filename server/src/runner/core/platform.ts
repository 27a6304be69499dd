// The few web-platform globals the core uses, which Node and browsers both provide (the WinterCG
// common minimum). ES2023's lib declares none of them, and the core's tsconfig has neither DOM nor
// Node types, so they are typed here, as narrowly as the core uses them.
import type { Clock } from './ports.ts';

interface Platform {
  TextDecoder: new () => { decode(bytes: Uint8Array): string };
  structuredClone<T>(value: T): T;
  performance: { now(): number };
}

const platform = globalThis as unknown as Platform;

/** Decodes UTF-8 (malformed bytes become U+FFFD, as TextDecoder does by default). */
export const utf8Decoder = new platform.TextDecoder();

/** A deep copy of plain data (undefined properties kept, unlike a JSON round trip). */
export function deepCopy<T>(value: T): T {
  return platform.structuredClone(value);
}

/** performance.now(): the default clock where a caller does not inject one. */
export const platformClock: Clock = { now: () => platform.performance.now() };
