// The replay as a RoomSource: the room's reducer fed from the recording at a scrub position shows
// what the room showed then (the run requested last, the notes, chat and signals so far), whichever
// way the scrubber moves; a replay sends nothing.
import { describe, expect, it } from 'vitest';
import type { ReviewData, ReviewRun, TimelineEvent } from '../../../common/review.ts';
import { replaySource } from '../../../client/src/review/replay-source.ts';
import { createRoomStore } from '../../../client/src/room/store.ts';

const T0 = 1_000_000;
const run = (id: string, requestedAt: number): ReviewRun => ({
  id,
  requestedBy: 'Ada',
  at: requestedAt + 900,
  requestedAt,
  updateId: null,
  kind: 'manual',
  status: 'ok',
  passed: 1,
  total: 2,
  cases: [],
  diagnostics: [],
  compilerOutput: '',
  faults: [],
});
const event = (at: number, type: TimelineEvent['type'], data: Record<string, unknown> = {}): TimelineEvent => ({ at, type, participantId: 'c', data });

const data = {
  session: {
    id: 's',
    mode: 'interview',
    candidateName: 'Ada',
    status: 'ended',
    createdAt: T0,
    durationMs: 1_800_000,
    startedAt: T0 + 1_000,
    deadline: T0 + 1_801_000,
    endedAt: T0 + 90_000,
    imported: null,
  },
  role: 'review',
  exercise: {} as ReviewData['exercise'],
  participants: [
    { id: 'c', name: 'Ada', role: 'candidate' },
    { id: 'm', name: 'Grace', role: 'mentor' },
  ],
  updates: [],
  runs: [run('r1', T0 + 10_000), run('r2', T0 + 30_000), run('final', T0 + 90_000)],
  events: [
    event(T0 + 1_000, 'start'),
    event(T0 + 5_000, 'paste', { chars: 300, lines: 9, flagged: true }),
    event(T0 + 20_000, 'chat', { id: 'c1', text: 'why a ring?' }),
    event(T0 + 25_000, 'focus_lost'),
  ],
  notes: [{ id: 'n1', at: T0 + 12_000, text: 'good names' }],
  scorecard: null,
  canScore: false,
} satisfies ReviewData;

function replay() {
  const source = replaySource(data);
  const store = createRoomStore();
  source.subscribe((e) => store.dispatch(e));
  const at = (t: number) => {
    source.seek(T0 + t);
    const s = store.get();
    return {
      run: s.latestRun?.id ?? null,
      notes: s.notes.map((n) => n.id),
      chat: s.chat.map((m) => `${m.name}: ${m.text}`),
      signals: s.signals.map((e) => e.type),
      runs: s.view?.runs.length,
    };
  };
  return { source, at };
}

describe('replaySource', () => {
  it('shows, at each instant, the run requested last and what was said and noticed so far', () => {
    const { at } = replay();
    expect(at(0)).toEqual({ run: null, notes: [], chat: [], signals: [], runs: 0 });
    expect(at(10_000)).toMatchObject({ run: 'r1', notes: [], signals: ['paste'] });
    expect(at(26_000)).toEqual({ run: 'r1', notes: ['n1'], chat: ['Ada: why a ring?'], signals: ['paste', 'focus_lost'], runs: 1 });
    expect(at(95_000)).toMatchObject({ run: 'final', runs: 3 });
  });

  it('scrubbing back shows the earlier moment, not what came after it', () => {
    const { at } = replay();
    expect(at(95_000).run).toBe('final');
    expect(at(15_000)).toEqual({ run: 'r1', notes: ['n1'], chat: [], signals: ['paste'], runs: 1 });
    expect(at(5_000)).toEqual({ run: null, notes: [], chat: [], signals: ['paste'], runs: 0 });
    expect(at(30_000).run).toBe('r2');
  });

  it('refuses every command', async () => {
    const { source } = replay();
    expect(source.connected).toBe(false);
    for (const r of [await source.runTests(), await source.addNote('x'), await source.sendChat('x'), await source.endSession()]) {
      expect(r).toEqual({ ok: false, error: { code: 'forbidden', message: 'A replay is read-only.' } });
    }
  });
});
