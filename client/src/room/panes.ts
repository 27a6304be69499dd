// Resizable panes: statement | workspace side by side, editor over results. split.js draws the
// handles; the sizes are remembered in this browser (localStorage), per split. The handles are
// keyboard controls too: focus one and move it with the arrow keys (Home/End: the extremes).
import Split from 'split.js';

const GUTTER = 6;
/** Percent a handle moves per arrow key. */
const KEY_STEP = 2;

function saved(key: string, fallback: number[]): number[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    // Two percentages that add up to ~100, or the default: a stale or edited value must not break the room.
    if (Array.isArray(value) && value.length === fallback.length && value.every((n) => typeof n === 'number' && n > 0 && n < 100)) {
      const sum = (value as number[]).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 100) < 1) return value as number[];
    }
  } catch {
    // unreadable: use the default
  }
  return fallback;
}

function split(elements: HTMLElement[], key: string, o: { direction: 'horizontal' | 'vertical'; sizes: number[]; minSize: number[]; label: string }): Split.Instance {
  const handles: HTMLElement[] = []; // one: a split of two panes
  const show = (sizes: number[]) => handles[0]?.setAttribute('aria-valuenow', String(Math.round(sizes[0] ?? 0)));
  const instance = Split(elements, {
    direction: o.direction,
    sizes: saved(key, o.sizes),
    minSize: o.minSize,
    gutterSize: GUTTER,
    snapOffset: 0,
    gutter: (_index, direction) => {
      const g = document.createElement('div');
      g.className = `gutter gutter-${direction}`;
      // A focusable separator is a control: it needs a value (WAI-ARIA window splitter pattern).
      g.setAttribute('role', 'separator');
      g.setAttribute('aria-orientation', direction === 'horizontal' ? 'vertical' : 'horizontal');
      g.setAttribute('aria-label', o.label);
      g.setAttribute('aria-valuemin', '0');
      g.setAttribute('aria-valuemax', '100');
      g.tabIndex = 0;
      g.title = 'Drag to resize (or focus and use the arrow keys)';
      handles.push(g);
      return g;
    },
    onDrag: show,
    onDragEnd: (sizes) => localStorage.setItem(key, JSON.stringify(sizes)),
  });
  show(instance.getSizes());
  handles[0]?.addEventListener('keydown', (e: KeyboardEvent) => {
    const back = o.direction === 'horizontal' ? 'ArrowLeft' : 'ArrowUp';
    const forward = o.direction === 'horizontal' ? 'ArrowRight' : 'ArrowDown';
    const [first = 50] = instance.getSizes();
    const next = e.key === back ? first - KEY_STEP : e.key === forward ? first + KEY_STEP : e.key === 'Home' ? 0 : e.key === 'End' ? 100 : null;
    if (next === null) return;
    e.preventDefault();
    e.stopPropagation();
    // split.js keeps each pane at its minimum size whatever we ask for.
    instance.setSizes([next, 100 - next]);
    const sizes = instance.getSizes();
    show(sizes);
    localStorage.setItem(key, JSON.stringify(sizes));
  });
  return instance;
}

export interface PaneElements {
  side: HTMLElement;
  workspace: HTMLElement;
  editorPane: HTMLElement;
  resultsPane: HTMLElement;
}

export function makePanesResizable(p: PaneElements): void {
  split([p.side, p.workspace], 'ci.panes.columns', { direction: 'horizontal', sizes: [32, 68], minSize: [240, 420], label: 'Resize the side panel and the editor' });
  split([p.editorPane, p.resultsPane], 'ci.panes.rows', { direction: 'vertical', sizes: [64, 36], minSize: [120, 96], label: 'Resize the editor and the results' });
}
