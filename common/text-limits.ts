// Length rules for what people type (names, notes), shared by the browser (inline messages and
// counters) and the server (the error it returns), so both count and word them the same way.
// Characters are Unicode code points, not UTF-16 units: an emoji counts as one.

export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Why `value` is not an acceptable name or note, or null when it is. `label` names the field in
 * the message ("The candidate name"). Leading and trailing spaces do not count.
 */
export function textProblem(label: string, value: string, max: number): string | null {
  const trimmed = value.trim();
  if (trimmed === '') return value === '' ? `${label} is required.` : `${label} is required (only spaces were given).`;
  const n = charCount(trimmed);
  if (n > max) return `${label} must be at most ${max.toLocaleString('en-US')} characters (it has ${n.toLocaleString('en-US')}).`;
  return null;
}

/** "12 / 80" for a counter beside the field. */
export function counterText(value: string, max: number): string {
  return `${charCount(value.trim()).toLocaleString('en-US')} / ${max.toLocaleString('en-US')}`;
}
