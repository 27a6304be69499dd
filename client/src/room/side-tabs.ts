// The side panel's tabs (Problem, Private notes, Chat, Guide): one panel shown at a time, the
// tab that shows it selected for assistive technology too.
import { h } from '../ui/dom.ts';

/** Makes the tab that shows `panel` (then calls `onShow`). */
export type MakeTab = (label: string, panel: HTMLElement, onShow?: () => void) => HTMLButtonElement;

export function sideTabs(tabs: HTMLElement, panels: readonly HTMLElement[]): MakeTab {
  return (label, panel, onShow) => {
    const b = h('button', { class: 'tab', type: 'button', role: 'tab', 'aria-selected': 'false' }, label);
    b.addEventListener('click', () => {
      for (const p of panels) p.hidden = p !== panel;
      onShow?.();
      for (const t of tabs.children) {
        t.classList.toggle('active', t === b);
        t.setAttribute('aria-selected', String(t === b));
      }
    });
    return b;
  };
}
