// Long CPU work on the server's one thread, in slices: the event loop turns between them, so
// health checks, edits and timers keep being served (e.g. while a large import is written).

/** How long a slice may run before the event loop gets a turn. */
const SLICE_MS = 20;

/** Calls `each` on every item, letting the event loop turn about every SLICE_MS. */
export async function inSlices<T>(items: Iterable<T>, each: (item: T, index: number) => unknown): Promise<void> {
  let since = performance.now();
  let index = 0;
  for (const item of items) {
    each(item, index++);
    if (performance.now() - since < SLICE_MS) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  }
}
