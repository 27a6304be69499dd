import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../common/protocol.ts';
import { SOURCE_BYTES, formatKiB, refusesSourceSize, sourceCounter, sourceLimitMessage, utf8Length } from '../../../common/source-limit.ts';
import { DEFAULT_LIMITS } from '../../../server/src/runner/limits.ts';

describe('the one source limit', () => {
  it('is what the document may hold and what a run compiles', () => {
    expect(SOURCE_BYTES).toBe(64 * 1024);
    expect(LIMITS.docBytes).toBe(SOURCE_BYTES);
    expect(DEFAULT_LIMITS.sourceBytes).toBe(SOURCE_BYTES);
  });

  it('counts UTF-8 bytes exactly as TextEncoder (and the compiler) does', () => {
    for (const text of ['', 'int main(void) {}\n', 'é', '€', '🙂', 'a\u{10FFFF}b', '\ud800', 'x\udc00y', '\ud83d', '日本語 // ok']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });

  it('refuses an edit that passes the limit and grows; shrinking is always allowed', () => {
    expect(refusesSourceSize(100, SOURCE_BYTES)).toBe(false);
    expect(refusesSourceSize(100, SOURCE_BYTES + 1)).toBe(true);
    expect(refusesSourceSize(SOURCE_BYTES + 500, SOURCE_BYTES + 400)).toBe(false);
    expect(refusesSourceSize(SOURCE_BYTES + 500, SOURCE_BYTES + 501)).toBe(true);
  });

  it('says which limit and which size', () => {
    expect(formatKiB(65_536)).toBe('64 KiB');
    expect(formatKiB(49_254)).toBe('48.1 KiB');
    expect(sourceLimitMessage('paste', 256_000)).toBe(
      'Paste refused: solution.c and scratch.c together may hold 64 KiB (65,536 bytes); this would make them 250 KiB (256,000 bytes).',
    );
    expect(sourceLimitMessage('edit', 65_537)).toMatch(/^Edit refused: .* 64\.0 KiB \(65,537 bytes\)\.$/);
  });

  it('shows a counter from three quarters of the limit, marked full from 95 %', () => {
    expect(sourceCounter(SOURCE_BYTES * 0.75 - 1)).toBeNull();
    expect(sourceCounter(49_254)).toEqual({
      text: '48.1 / 64 KiB',
      label: 'Source size: 48.1 of 64 KiB used by solution.c and scratch.c together',
      level: 'near',
    });
    expect(sourceCounter(SOURCE_BYTES)).toMatchObject({ text: '64.0 / 64 KiB', level: 'full' });
  });
});
