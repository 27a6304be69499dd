// Mentor-only timer controls in the top bar: Start (waiting), +5 min and End now (live).
import type { SessionStatus } from '../../../common/protocol.ts';
import { h } from '../ui/dom.ts';

export interface ControlActions {
  start(): Promise<void>;
  addFive(): Promise<void>;
  end(): Promise<void>;
}

export function renderControls(host: HTMLElement, status: SessionStatus, actions: ControlActions): void {
  // Each button disables itself while its request is in flight so a double click is one action.
  const button = (label: string, cls: string, action: () => Promise<void>): HTMLButtonElement => {
    const b = h('button', { class: `btn ${cls}`, type: 'button' }, label);
    b.addEventListener('click', () => {
      b.disabled = true;
      void action().finally(() => {
        b.disabled = false;
      });
    });
    return b;
  };
  if (status === 'waiting') {
    host.replaceChildren(button('Start timer', 'btn-primary start-timer', actions.start));
  } else if (status === 'live') {
    host.replaceChildren(
      button('+5 min', 'btn-secondary add-time', actions.addFive),
      button('End now', 'btn-danger end-now', async () => {
        if (window.confirm('End the interview now? The editor becomes read-only for everyone.')) await actions.end();
      }),
    );
  } else {
    host.replaceChildren();
  }
}
