// A session export (the format of GET /api/review/export) holding a synthetic recorded session:
// the history of synthetic.ts and `runs` runs spread over it. Used by the import tests and the
// replay and import benchmarks.
import * as Y from 'yjs';
import type { GradeResult } from '../../common/exercise.ts';
import type { SessionExport } from '../../server/src/review/export-schema.ts';
import { random, syntheticSession } from './synthetic.ts';

export function syntheticExport(updates: number, runs: number): SessionExport {
  const { updates: log, startedAt } = syntheticSession(updates, { seed: 11, minutes: 30 });
  const caseNames = ['basic fifo', 'full and empty', 'wraps around', 'overwrite oldest', 'zero capacity', 'capacity one', 'many wraps', 'size max'];
  const rnd = random(5);
  const runList: SessionExport['runs'] = [];
  for (let i = 0; i < runs; i++) {
    const u = log[Math.floor(((i + 1) / (runs + 1)) * log.length)]!;
    const passed = Math.min(caseNames.length, Math.floor((i / runs) * caseNames.length + rnd() * 2));
    const result: GradeResult = {
      status: 'ok',
      passed,
      total: caseNames.length,
      cases: caseNames.map((name, k) => ({ name, visible: k < 4, status: k < passed ? 'pass' : 'fail', timeMs: 5 })),
      diagnostics: [],
      compilerOutput: '',
      timings: { compileMs: 200, runMs: 40 },
    };
    runList.push({ id: `run-${i}`, at: u.at + 300, requestedAt: u.at, kind: i === runs - 1 ? 'final' : 'manual', participantId: 'p_a', updateId: u.id, source: null, result });
  }
  const endedAt = log.at(-1)!.at + 1_000;
  return {
    format: 'c-interview-session',
    version: 1,
    exportedAt: endedAt,
    session: {
      mode: 'interview',
      exercise: { slug: 'ring-buffer', title: 'Ring buffer' },
      candidateName: 'Bench Candidate',
      status: 'ended',
      createdAt: startedAt - 120_000,
      durationMs: 30 * 60_000,
      startedAt,
      deadline: startedAt + 30 * 60_000,
      endedAt,
    },
    participants: [
      { id: 'p_a', role: 'candidate', name: 'Bench Candidate', firstSeen: startedAt - 60_000 },
      { id: 'p_b', role: 'mentor', name: 'Bench Mentor', firstSeen: startedAt - 60_000 },
    ],
    updates: log.map((u) => ({ id: u.id, at: u.at, participantId: u.participantId, bytes: Buffer.from(u.bytes).toString('base64') })),
    runs: runList,
    events: [{ at: startedAt, type: 'start', participantId: 'p_b', data: {} }],
    notes: [{ id: 'n1', at: startedAt + 600_000, participantId: 'p_b', text: 'Halfway: explained the wrap-around well.' }],
    scorecard: null,
  };
}

/**
 * A large export, quick to make: `updates` document updates (the starter included) that in turn
 * append `chars` characters and delete them again, so the text stays short while the log and the
 * file grow (200,000 updates of 110 characters make about 32 MiB of JSON).
 */
export function bulkExport(updates: number, chars: number): SessionExport {
  const startedAt = Date.UTC(2026, 0, 5, 10, 0, 0);
  const doc = new Y.Doc();
  const text = doc.getText('code');
  const log: SessionExport['updates'] = [];
  let at = startedAt;
  doc.on('update', (u: Uint8Array) => {
    const first = log.length === 0;
    log.push({ id: log.length + 1, at: (at += first ? 0 : 5), participantId: first ? null : 'p_a', bytes: Buffer.from(u).toString('base64') });
  });
  text.insert(0, '// starter\n');
  const piece = 'x'.repeat(chars);
  for (let i = 1; i < updates; i++) {
    if (i % 2 === 1) text.insert(text.length, piece);
    else text.delete(text.length - chars, chars);
  }
  doc.destroy();
  const base = syntheticExport(10, 0);
  return {
    ...base,
    updates: log,
    session: { ...base.session, startedAt, deadline: startedAt + 30 * 60_000, createdAt: startedAt - 60_000, endedAt: at + 1_000 },
    events: [],
    notes: [],
  };
}
