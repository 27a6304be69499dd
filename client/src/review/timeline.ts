// The replay's timeline as data: interview time (ms since the clock started), the scrubber's axis
// with idle stretches compressed, and the markers. Pure (no DOM) so it is unit-tested.
import type { ReviewData, ReviewRun, TimelineEvent } from '../../../common/review.ts';
import type { ChatMessage, Note } from '../../../common/protocol.ts';

/** A stretch with no activity longer than this is idle. */
export const IDLE_MS = 20_000;
/** How long an idle stretch lasts on the compressed axis (and in playback). */
export const IDLE_SHOWN_MS = 2_000;

export type MarkerKind = 'run-pass' | 'run-fail' | 'compile' | 'paste' | 'focus' | 'note' | 'join' | 'time' | 'timer' | 'console' | 'hint' | 'chat' | 'call';

export interface Marker {
  /** Interview time. */
  t: number;
  kind: MarkerKind;
  label: string;
  /** Index into runs / notes / events of the data, by kind. */
  ref: { runs?: number; notes?: number; events?: number };
}

interface Segment {
  /** Interview time range. */
  from: number;
  to: number;
  /** Axis position of `from`. */
  axisFrom: number;
  /** Axis length per interview ms (1, or smaller for an idle stretch). */
  scale: number;
}

/** Maps interview time to the scrubber's axis and back; with `skipIdle` idle stretches shrink. */
export class TimeAxis {
  readonly segments: Segment[] = [];
  readonly length: number;

  constructor(
    readonly duration: number,
    activity: number[],
    skipIdle: boolean,
  ) {
    const points = [...new Set([0, ...activity.filter((t) => t > 0 && t < duration), duration])].sort((a, b) => a - b);
    let axis = 0;
    for (let i = 1; i < points.length; i++) {
      const from = points[i - 1]!;
      const to = points[i]!;
      const idle = skipIdle && to - from > IDLE_MS;
      const scale = idle ? IDLE_SHOWN_MS / (to - from) : 1;
      this.segments.push({ from, to, axisFrom: axis, scale });
      axis += (to - from) * scale;
    }
    this.length = Math.max(axis, 1);
  }

  toAxis(t: number): number {
    const c = Math.max(0, Math.min(t, this.duration));
    const s = this.segments.find((x) => c <= x.to) ?? this.segments.at(-1);
    return s ? s.axisFrom + (c - s.from) * s.scale : 0;
  }

  fromAxis(p: number): number {
    const c = Math.max(0, Math.min(p, this.length));
    const s = this.segments.find((x) => c <= x.axisFrom + (x.to - x.from) * x.scale) ?? this.segments.at(-1);
    return s ? s.from + (c - s.axisFrom) / s.scale : 0;
  }

  /** Idle stretches as axis ranges, to draw them hatched. */
  idleRanges(): { from: number; to: number; realMs: number }[] {
    return this.segments.filter((s) => s.scale < 1).map((s) => ({ from: s.axisFrom, to: s.axisFrom + (s.to - s.from) * s.scale, realMs: s.to - s.from }));
  }
}

/** The instant interview time counts from: the clock's start, or the session's creation. */
export function originOf(d: ReviewData): number {
  return d.session.startedAt ?? d.session.createdAt;
}

/** From the origin to the end (or the last thing that happened). */
export function durationOf(d: ReviewData): number {
  const origin = originOf(d);
  const last = Math.max(d.session.endedAt ?? 0, ...d.updates.map((u) => u.at), ...d.runs.map((r) => r.requestedAt), ...d.events.map((e) => e.at));
  return Math.max(1_000, last - origin);
}

function runMarker(r: ReviewRun, i: number, t: number): Marker {
  const kind: MarkerKind = r.status === 'compile_error' ? 'compile' : r.status === 'ok' && r.passed === r.total ? 'run-pass' : 'run-fail';
  const what = r.kind === 'final' ? 'Final grading' : `Run ${i + 1}`;
  const result = r.status === 'compile_error' ? 'compile error' : r.status === 'rejected' ? 'not run' : `${r.passed}/${r.total} passed`;
  return { t, kind, label: `${what}: ${result}`, ref: { runs: i } };
}

const short = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

function eventMarker(e: TimelineEvent, i: number, t: number, nameOf: (id?: string) => string, practice: boolean): Marker | null {
  const ref = { events: i };
  switch (e.type) {
    case 'paste': {
      const chars = Number(e.data['chars'] ?? 0);
      return { t, kind: 'paste', label: `${nameOf(e.participantId)} pasted ${chars} characters${e.data['flagged'] ? ' (flagged)' : ''}`, ref };
    }
    case 'focus_lost':
      return { t, kind: 'focus', label: `${nameOf(e.participantId)} left the page (${e.data['reason'] === 'hidden' ? 'tab hidden' : 'window lost focus'})`, ref };
    case 'focus_back':
      return { t, kind: 'focus', label: `${nameOf(e.participantId)} came back after ${formatDuration(Number(e.data['awayMs'] ?? 0))}`, ref };
    case 'join':
    case 'leave':
      return { t, kind: 'join', label: `${nameOf(e.participantId)} ${e.type === 'join' ? 'joined' : 'left'}`, ref };
    case 'add':
      return { t, kind: 'time', label: `${Number(e.data['minutes'] ?? 0)} minutes added`, ref };
    case 'start':
      return { t, kind: 'timer', label: 'Timer started', ref };
    case 'end':
      return { t, kind: 'timer', label: practice ? 'Submitted' : 'Ended early by the interviewer', ref };
    case 'deadline':
      return { t, kind: 'timer', label: 'Time ran out', ref };
    case 'console':
      return { t, kind: 'console', label: `${nameOf(e.participantId)} ran the console: ${consoleOutcome(e.data)}`, ref };
    case 'hint': // practice: a hint revealed on request (server/src/sessions/hints.ts)
      return { t, kind: 'hint', label: `${nameOf(e.participantId)} revealed hint ${Number(e.data['number'] ?? 0)}: ${short(String(e.data['text'] ?? ''))}`, ref };
    case 'chat': // a message in the room's chat (server/src/sessions/chat.ts)
      return { t, kind: 'chat', label: `${nameOf(e.participantId)} said: ${short(String(e.data['text'] ?? ''))}`, ref };
    case 'call': // joined or left the room's call (server/src/sessions/call.ts); media is not recorded
      return { t, kind: 'call', label: callLabel(nameOf(e.participantId), e.data), ref };
    default:
      return null; // warnings are implied by the clock
  }
}

function callLabel(name: string, data: Record<string, unknown>): string {
  if (data['action'] === 'leave') return `${name} left the call`;
  const how = data['video'] === true ? 'with camera' : 'audio only';
  return `${name} joined the call (${how}${data['audio'] === false ? ', muted' : ''})`;
}

/** A console run's outcome in a few words, from its timeline data (common/console.ts ConsoleEventData). */
export function consoleOutcome(data: Record<string, unknown>): string {
  const status = data['status'];
  if (status === 'ok') return `exit ${String(data['exitCode'])}`;
  if (status === 'compile_error') return `compile error${Number(data['errors']) === 1 ? '' : 's'}`;
  if (status === 'runtime_error') return typeof data['fault'] === 'string' ? `crashed: ${data['fault']}` : 'crashed';
  if (status === 'timeout') return 'stopped at the time limit';
  if (status === 'memory_limit') return 'stopped at the memory limit';
  if (status === 'output_limit') return 'stopped at the output limit';
  return 'not run';
}

export function markersOf(d: ReviewData): Marker[] {
  const origin = originOf(d);
  const names = new Map(d.participants.map((p) => [p.id, p.name]));
  const nameOf = (id?: string) => (id ? (names.get(id) ?? 'Someone') : 'Someone');
  const out: Marker[] = [];
  d.runs.forEach((r, i) => out.push(runMarker(r, i, r.requestedAt - origin)));
  d.notes.forEach((n: Note, i) => out.push({ t: n.at - origin, kind: 'note', label: `Note: ${short(n.text)}`, ref: { notes: i } }));
  const practice = d.session.mode === 'practice';
  d.events.forEach((e, i) => {
    const m = eventMarker(e, i, e.at - origin, nameOf, practice);
    if (m) out.push(m);
  });
  return out.map((m) => ({ ...m, t: Math.max(0, m.t) })).sort((a, b) => a.t - b.t);
}

/** The chat as the room showed it, from the recorded 'chat' events and the participants. */
export function chatOf(d: ReviewData): ChatMessage[] {
  const byId = new Map(d.participants.map((p) => [p.id, p]));
  return d.events
    .filter((e) => e.type === 'chat')
    .map((e) => {
      const who = e.participantId !== undefined ? byId.get(e.participantId) : undefined;
      return {
        id: String(e.data['id'] ?? ''),
        at: e.at,
        participantId: e.participantId ?? '',
        name: who?.name ?? 'Someone',
        role: who?.role ?? 'observer',
        text: String(e.data['text'] ?? ''),
      };
    });
}

/** The next (dir 1) or previous (dir -1) marker time from t, among markers passing `filter`. */
export function jump(markers: Marker[], t: number, dir: 1 | -1, filter: (m: Marker) => boolean = () => true): number | null {
  const list = markers.filter(filter);
  if (dir === 1) return list.find((m) => m.t > t + 1)?.t ?? null;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.t < t - 1) return list[i]!.t;
  return null;
}

export const isRun = (m: Marker) => m.kind === 'run-pass' || m.kind === 'run-fail' || m.kind === 'compile';

/** mm:ss of interview time (h:mm:ss past an hour); negative shows as 00:00. */
export function formatInterviewTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}
