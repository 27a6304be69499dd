// The run history beside the results: number, interview time, who, outcome. Picking an entry
// shows that run's results; a new run is picked automatically (state.ts).
import type { Mode } from '../../../common/policy.ts';
import type { RunView, TimerView } from '../../../common/protocol.ts';
import { historyEntries } from '../session/history.ts';
import { h } from '../ui/dom.ts';

export function renderRunHistory(
  host: HTMLElement,
  runs: RunView[],
  timer: TimerView,
  mode: Mode,
  shownId: string | null,
  youName: string | undefined,
  select: (runId: string) => void,
): void {
  const entries = historyEntries(runs, timer, mode, youName);
  if (entries.length === 0) {
    host.replaceChildren(h('p', { class: 'history-empty' }, 'No runs yet'));
    return;
  }
  host.replaceChildren(
    h(
      'ol',
      { class: 'history-list' },
      ...entries.map((e) => {
        const b = h(
          'button',
          { class: `history-entry tone-${e.tone}`, type: 'button', 'aria-pressed': String(e.id === shownId), title: `${e.label} at ${e.time} by ${e.who}: ${e.outcome}` },
          h('span', { class: 'history-label' }, e.label),
          h('span', { class: 'history-time' }, e.time),
          h('span', { class: 'history-outcome' }, e.outcome),
          h('span', { class: 'history-who' }, e.who),
        );
        b.addEventListener('click', () => select(e.id));
        return h('li', {}, b);
      }),
    ),
  );
}
