// Resizable panes: statement | workspace side by side, editor over results. split.js draws the
// handles; the sizes are remembered in this browser (localStorage), per split.
import Split from 'split.js';

const GUTTER = 6;

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

function split(elements: HTMLElement[], key: string, o: { direction: 'horizontal' | 'vertical'; sizes: number[]; minSize: number[] }): Split.Instance {
  return Split(elements, {
    direction: o.direction,
    sizes: saved(key, o.sizes),
    minSize: o.minSize,
    gutterSize: GUTTER,
    snapOffset: 0,
    gutter: (_index, direction) => {
      const g = document.createElement('div');
      g.className = `gutter gutter-${direction}`;
      g.setAttribute('role', 'separator');
      g.setAttribute('aria-orientation', direction === 'horizontal' ? 'vertical' : 'horizontal');
      g.title = 'Drag to resize';
      return g;
    },
    onDragEnd: (sizes) => localStorage.setItem(key, JSON.stringify(sizes)),
  });
}

export interface PaneElements {
  side: HTMLElement;
  workspace: HTMLElement;
  editorPane: HTMLElement;
  resultsPane: HTMLElement;
}

export function makePanesResizable(p: PaneElements): void {
  split([p.side, p.workspace], 'ci.panes.columns', { direction: 'horizontal', sizes: [32, 68], minSize: [240, 420] });
  split([p.editorPane, p.resultsPane], 'ci.panes.rows', { direction: 'vertical', sizes: [64, 36], minSize: [120, 96] });
}
