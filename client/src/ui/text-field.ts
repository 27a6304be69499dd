// A text input (or textarea) with a character counter and an inline message, checked with the
// same rules and words as the server (common/text-limits.ts). Nothing is cut: text over the limit
// stays in the box, marked, until the person shortens it.
import { counterText, charCount, textProblem } from '../../../common/text-limits.ts';
import { h } from './dom.ts';

let ids = 0;

export interface CheckedTextOptions {
  /** Used in messages: "The candidate name must be at most 80 characters (it has 93)." */
  label: string;
  max: number;
  /** Empty is allowed (the message only speaks of length). */
  optional?: boolean;
  multiline?: boolean;
  attrs?: Record<string, string | number | boolean>;
}

export interface CheckedText {
  control: HTMLInputElement | HTMLTextAreaElement;
  /** Counter and message, to place under the control. */
  meta: HTMLElement;
  /** The trimmed value when acceptable (shows the message otherwise), else null. */
  take(): string | null;
  /** Shows a message from elsewhere (e.g. the server's answer) until the next edit. */
  showError(message: string): void;
  clear(): void;
}

export function checkedText(o: CheckedTextOptions): CheckedText {
  const id = `field-msg-${++ids}`;
  const control = o.multiline ? h('textarea', { ...o.attrs }) : h('input', { type: 'text', ...o.attrs });
  control.setAttribute('aria-describedby', id);
  const message = h('span', { class: 'field-error', id, 'aria-live': 'polite' });
  const counter = h('span', { class: 'field-counter', 'aria-hidden': 'true' });
  const meta = h('span', { class: 'field-meta' }, message, counter);

  const show = (text: string | null): void => {
    message.textContent = text ?? '';
    control.classList.toggle('invalid', text !== null);
    control.setAttribute('aria-invalid', String(text !== null));
  };
  const problem = (): string | null => {
    if (o.optional && control.value.trim() === '') return null;
    return textProblem(o.label, control.value, o.max);
  };
  const update = (): void => {
    counter.textContent = counterText(control.value, o.max);
    const over = charCount(control.value.trim()) > o.max;
    counter.classList.toggle('over', over);
    // Length is reported while typing; "required" only when the person tries to submit.
    show(over ? problem() : null);
  };
  control.addEventListener('input', update);
  update();

  return {
    control,
    meta,
    take() {
      const p = problem();
      show(p);
      if (p) {
        control.focus();
        return null;
      }
      return control.value.trim();
    },
    showError(text) {
      show(text);
    },
    clear() {
      control.value = '';
      update();
    },
  };
}
