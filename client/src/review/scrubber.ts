// The replay scrubber: the session on one line in axis time (idle stretches compressed and
// hatched), coloured markers, and a playhead. Clicking or dragging seeks.
import { h } from '../ui/dom.ts';
import { formatDuration, formatInterviewTime, type Marker, type TimeAxis } from './timeline.ts';

export interface Scrubber {
  element: HTMLElement;
  /** Redraws markers and idle stretches for a new axis (skip-idle toggled). */
  setAxis(axis: TimeAxis): void;
  setPosition(axisPos: number): void;
}

/** `onMarker`: a marker was clicked (or pressed with the keyboard). `label`: the slider's name. */
export function createScrubber(markers: Marker[], onSeek: (axisPos: number) => void, onMarker: (m: Marker) => void, label = 'Interview time'): Scrubber {
  const track = h('div', { class: 'scrub-track' });
  const idle = h('div', { class: 'scrub-idle-layer' });
  const marks = h('div', { class: 'scrub-markers' });
  const played = h('div', { class: 'scrub-played' });
  const head = h('div', { class: 'scrub-head', 'aria-hidden': 'true' });
  // The slider (keyboard: the page's arrow keys, Home, End) and the marker buttons are siblings:
  // a control inside another control is neither announced nor reachable properly.
  const slider = h('div', { class: 'scrub-slider', role: 'slider', tabindex: '0', 'aria-label': label, 'aria-valuemin': '0' }, track, idle, played, head);
  const element = h('div', { class: 'scrubber' }, slider, marks);
  let axis: TimeAxis | null = null;

  const pct = (p: number) => `${axis ? (100 * p) / axis.length : 0}%`;

  function positionFrom(e: PointerEvent): number {
    const rect = element.getBoundingClientRect();
    const x = Math.max(0, Math.min(1, (e.clientX - rect.left) / rect.width));
    return x * (axis?.length ?? 0);
  }
  element.addEventListener('pointerdown', (e) => {
    // A click on a marker goes to the marker itself (its click handler), not to where the pointer
    // is; capturing the pointer here would take that click away from it.
    if ((e.target as HTMLElement).dataset['t'] !== undefined) return;
    onSeek(positionFrom(e));
    element.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => onSeek(positionFrom(ev));
    const up = () => {
      element.removeEventListener('pointermove', move);
      element.removeEventListener('pointerup', up);
    };
    element.addEventListener('pointermove', move);
    element.addEventListener('pointerup', up);
  });

  return {
    element,
    setAxis(next) {
      axis = next;
      slider.setAttribute('aria-valuemax', String(Math.round(next.length)));
      idle.replaceChildren(
        ...next.idleRanges().map((r) => {
          const el = h('div', { class: 'scrub-idle', title: `Idle for ${formatDuration(r.realMs)} (compressed)` });
          el.style.left = pct(r.from);
          el.style.width = pct(r.to - r.from);
          return el;
        }),
      );
      marks.replaceChildren(
        ...markers.map((m) => {
          const el = h('button', {
            type: 'button',
            class: `marker marker-${m.kind}`,
            title: `${formatInterviewTime(m.t)} ${m.label}`,
            'aria-label': `${formatInterviewTime(m.t)} ${m.label}`,
          });
          el.dataset['t'] = String(m.t);
          el.style.left = pct(next.toAxis(m.t));
          el.addEventListener('click', () => onMarker(m));
          return el;
        }),
      );
    },
    setPosition(p) {
      head.style.left = pct(p);
      played.style.width = pct(p);
      slider.setAttribute('aria-valuenow', String(Math.round(p)));
      slider.setAttribute('aria-valuetext', axis ? formatInterviewTime(axis.fromAxis(p)) : '00:00');
    },
  };
}
