// Timer controls in the top bar, as the policy allows them: the interviewer's Start, +5 min and
// End now; a practising student's Start and Submit.
import { may, type Mode, type PolicyRole } from '../../../common/policy.ts';
import type { SessionStatus } from '../../../common/protocol.ts';
import { h } from '../ui/dom.ts';

export interface ControlActions {
  start(): Promise<void>;
  addFive(): Promise<void>;
  end(): Promise<void>;
}

export function renderControls(host: HTMLElement, mode: Mode, role: PolicyRole, status: SessionStatus, actions: ControlActions): void {
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
  const practice = mode === 'practice';
  const buttons: HTMLButtonElement[] = [];
  // The policy says who may; each button shows in the one status where it makes sense.
  if (status === 'waiting' && may(mode, role, status, 'timer:start')) {
    buttons.push(button(practice ? 'Start' : 'Start timer', 'btn-primary start-timer', actions.start));
  }
  if (status === 'live' && may(mode, role, status, 'timer:add')) buttons.push(button('+5 min', 'btn-secondary add-time', actions.addFive));
  if (status === 'live' && may(mode, role, status, 'timer:end')) {
    const question = practice
      ? 'Submit now? Your code is graded on every test, visible and hidden, and the editor locks.'
      : 'End the interview now? The editor becomes read-only for everyone.';
    buttons.push(
      button(practice ? 'Submit' : 'End now', practice ? 'btn-primary end-now submit' : 'btn-danger end-now', async () => {
        if (window.confirm(question)) await actions.end();
      }),
    );
  }
  host.replaceChildren(...buttons);
}
