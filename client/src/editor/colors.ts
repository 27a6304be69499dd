// Participant colours and the per-client CSS that y-monaco's remote cursor classes need.
// Pure (no DOM, no Monaco) so it can be unit-tested.

export const PALETTE = ['#e5534b', '#3b82f6', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d'];

/** Stable colour for a participant id (the same in every browser). */
export function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#3b82f6';
}

/** Only #rrggbb is allowed into a stylesheet; anything else a peer sends becomes grey. */
export function safeColor(value: unknown): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : '#8b949e';
}

/** A CSS string literal that cannot break out of its declaration: everything but [A-Za-z0-9 ] is escaped. */
export function cssString(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (/^[A-Za-z0-9 ]$/.test(ch)) out += ch;
    else out += `\\${(ch.codePointAt(0) ?? 0x3f).toString(16)} `;
  }
  return `${out}"`;
}

/**
 * How a remote cursor is drawn: 'idle' shows the caret and selection with the name only on hover,
 * 'active' also shows the name (it moved or typed a moment ago), 'hidden' draws nothing.
 */
export type CursorLook = 'idle' | 'active' | 'hidden';

/** CSS for one remote client: tinted selection, coloured caret and a name label above it. */
export function remoteCursorCss(clientId: number, name: string, color: string, look: CursorLook = 'idle'): string {
  const id = Math.trunc(clientId);
  if (look === 'hidden') return `.yRemoteSelection-${id}, .yRemoteSelectionHead-${id} { display: none; }`;
  const c = safeColor(color);
  const label = cssString(name.slice(0, 40));
  return [
    `.yRemoteSelection-${id} { background-color: ${c}40; }`,
    `.yRemoteSelectionHead-${id} { border-color: ${c}; }`,
    `.yRemoteSelectionHead-${id}::after { content: ${label}; background-color: ${c};${look === 'active' ? ' opacity: 1;' : ''} }`,
  ].join('\n');
}
