// One size limit for C source: what the shared document (solution.c and scratch.c together) may
// hold and what a run compiles. Counted in bytes of UTF-8, the way the compiler reads the file,
// by the server (document and runner) and by the browser (guard and counter) alike.

/** 64 KiB: several times what a 30-minute exercise needs, and cheap to compile and store. */
export const SOURCE_BYTES = 64 * 1024;

/** The counter near the editor appears once the document passes this share of the limit. */
export const SOURCE_COUNTER_FROM = 0.75;

/** UTF-8 length of a JS string, as TextEncoder counts it (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point beyond the BMP
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** "48.1 KiB" (one decimal; whole KiB without one). */
export function formatKiB(bytes: number): string {
  const kib = bytes / 1024;
  return `${Number.isInteger(kib) ? kib : kib.toFixed(1)} KiB`;
}

/**
 * Whether an edit taking the document from `before` to `after` bytes is refused: it would pass
 * the limit and grow the document. Shrinking is always allowed, so a document already over the
 * limit (a session from before it) can still be cut down.
 */
export function refusesSourceSize(before: number, after: number, limit = SOURCE_BYTES): boolean {
  return after > limit && after > before;
}

/** Why an edit (or paste) was refused, naming the limit and the size it would have made. */
export function sourceLimitMessage(what: 'edit' | 'paste', after: number, limit = SOURCE_BYTES): string {
  const verb = what === 'paste' ? 'Paste refused' : 'Edit refused';
  return (
    `${verb}: solution.c and scratch.c together may hold ${formatKiB(limit)} (${limit.toLocaleString('en')} bytes); ` +
    `this would make them ${formatKiB(after)} (${after.toLocaleString('en')} bytes).`
  );
}

/** The counter's text and level, or null while the document is well under the limit. */
export function sourceCounter(bytes: number, limit = SOURCE_BYTES): { text: string; label: string; level: 'near' | 'full' } | null {
  if (bytes < limit * SOURCE_COUNTER_FROM) return null;
  const used = (bytes / 1024).toFixed(1);
  return {
    text: `${used} / ${formatKiB(limit)}`,
    label: `Source size: ${used} of ${formatKiB(limit)} used by solution.c and scratch.c together`,
    level: bytes >= limit * 0.95 ? 'full' : 'near',
  };
}
