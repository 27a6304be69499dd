// The browser's side of the source limit (common/source-limit.ts): how much the shared document
// holds, and the smallest edit that turns one text into another (to undo a refused edit in Monaco
// without moving the cursor or resetting the view).
import type * as Y from 'yjs';
import { SCRATCH_TEXT } from '../../../common/console.ts';
import { DOC_TEXT } from '../../../common/protocol.ts';
import { utf8Length } from '../../../common/source-limit.ts';

/** Bytes (UTF-8) of solution.c and scratch.c together, as the server counts them. */
export function docSourceBytes(doc: Y.Doc): number {
  return utf8Length(doc.getText(DOC_TEXT).toString()) + utf8Length(doc.getText(SCRATCH_TEXT).toString());
}

/** Replace `from`'s offsets [start, end) with `text` to get `to`; null when they are equal. */
export function minimalEdit(from: string, to: string): { start: number; end: number; text: string } | null {
  if (from === to) return null;
  const max = Math.min(from.length, to.length);
  let start = 0;
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)) tail++;
  return { start, end: from.length - tail, text: to.slice(start, to.length - tail) };
}
