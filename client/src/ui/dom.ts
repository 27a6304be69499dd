// Tiny DOM helpers. Strings always become text nodes: names, notes and results are never HTML.
type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (key === 'class') el.className = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

let toastHost: HTMLElement | null = null;
let toastParent: HTMLElement | null = null;

/**
 * Where toasts go: one corner, bottom left, away from the results. A page with a side panel (the
 * room, the replay) passes it, and toasts then stay inside it whatever its width; others use the
 * window's corner.
 */
export function placeToasts(parent: HTMLElement | null): void {
  toastParent = parent;
  if (toastHost) (toastParent ?? document.body).append(toastHost);
  toastHost?.classList.toggle('in-panel', toastParent !== null);
}

/**
 * A short message in the corner; 'warn' and 'error' stay a little longer. The same message again
 * while it is shown is not stacked: its count goes up ("×3") and it stays for the full time again.
 * A click dismisses it.
 */
export function toast(message: string, tone: 'info' | 'warn' | 'error' | 'ok' = 'info', ms = 5000): void {
  if (!toastHost) {
    toastHost = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    placeToasts(toastParent);
  }
  const lasts = tone === 'info' || tone === 'ok' ? ms : ms * 2;
  const same = [...toastHost.children].find((el): el is HTMLElement => el instanceof HTMLElement && el.dataset['message'] === message && el.dataset['tone'] === tone);
  if (same) {
    const count = Number(same.dataset['count'] ?? '1') + 1;
    same.dataset['count'] = String(count);
    same.querySelector('.toast-count')!.textContent = `×${count}`;
    clearTimeout(Number(same.dataset['timer']));
    same.dataset['timer'] = String(setTimeout(() => same.remove(), lasts));
    return;
  }
  const el = h('div', { class: `toast toast-${tone}`, title: 'Click to dismiss' }, h('span', { class: 'toast-text' }, message), h('span', { class: 'toast-count' }));
  Object.assign(el.dataset, { message, tone, count: '1' });
  el.addEventListener('click', () => el.remove());
  toastHost.append(el);
  el.dataset['timer'] = String(setTimeout(() => el.remove(), lasts));
}

/**
 * Markdown's own scrolling boxes (code blocks, wide tables) become focusable, so that keyboard
 * users can scroll them (WCAG 2.1.1); the `pre`s this app makes say `tabindex: 0` themselves.
 */
export function focusableScrollers(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>('pre, table')) el.tabIndex = 0;
}

export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Drop the null/false placeholders of conditional children, for replaceChildren(). */
export function nodes(...children: Child[]): Array<Node | string> {
  return children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false);
}
