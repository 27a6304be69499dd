// Renders one of the room's append-only lists (notes, chat, signals) from the store: a new load of
// the session ('session:state') rebuilds it, otherwise only the items past those on screen are added.
export interface ListView<T> {
  /** Replaces the list (nothing counts as new). */
  rebuild(items: readonly T[]): void;
  /** One item that arrived since. */
  append(item: T): void;
}

export function appendList<T>(view: ListView<T>): (items: readonly T[], loads: number) => void {
  let shownLoads = -1;
  let shown = 0;
  return (items, loads) => {
    if (loads !== shownLoads) {
      shownLoads = loads;
      view.rebuild(items);
    } else {
      for (const item of items.slice(shown)) view.append(item);
    }
    shown = items.length;
  };
}
