// Console runs in the replay: the marker's words come from the recorded event, and the history
// gives the scratch file at any instant beside the solution.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { ReviewData } from '../../../common/review.ts';
import { consoleOutcome, markersOf } from '../../../client/src/review/timeline.ts';
import { History } from '../../../server/src/history/index.ts';

describe('console runs on the replay timeline', () => {
  it('says how each run ended', () => {
    expect(consoleOutcome({ status: 'ok', exitCode: 3 })).toBe('exit 3');
    expect(consoleOutcome({ status: 'compile_error', errors: 1 })).toBe('compile error');
    expect(consoleOutcome({ status: 'compile_error', errors: 2 })).toBe('compile errors');
    expect(consoleOutcome({ status: 'runtime_error', fault: 'NULL pointer dereference (scratch.c, line 4, in main)' })).toBe(
      'crashed: NULL pointer dereference (scratch.c, line 4, in main)',
    );
    expect(consoleOutcome({ status: 'timeout' })).toBe('stopped at the time limit');
    expect(consoleOutcome({ status: 'rejected' })).toBe('not run');
  });

  it('puts a marker of its own kind at the run, named after who ran it', () => {
    const data = {
      session: { startedAt: 1_000, createdAt: 0, endedAt: 100_000 },
      participants: [{ id: 'p1', name: 'Ada', role: 'candidate' }],
      updates: [],
      runs: [],
      notes: [],
      events: [{ at: 31_000, type: 'console', participantId: 'p1', data: { status: 'ok', exitCode: 0 } }],
    } as unknown as ReviewData;
    expect(markersOf(data)).toEqual([{ t: 30_000, kind: 'console', label: 'Ada ran the console: exit 0', ref: { events: 0 } }]);
  });

  it('seeks the scratch file along with the solution', () => {
    const doc = new Y.Doc();
    const updates: { id: number; at: number; participantId: string | null; bytes: Uint8Array }[] = [];
    doc.on('update', (bytes: Uint8Array) => updates.push({ id: updates.length + 1, at: updates.length, participantId: null, bytes }));
    doc.getText('code').insert(0, 'int f(void) { return 1; }\n');
    doc.getText('scratch').insert(0, 'int main(void) { return f(); }\n');
    doc.getText('scratch').insert(0, '// try\n');
    const history = new History(updates);
    expect(history.seek(0)).toMatchObject({ text: 'int f(void) { return 1; }\n', scratch: '' });
    expect(history.seek(1).scratch).toBe('int main(void) { return f(); }\n');
    expect(history.seek(2)).toMatchObject({ text: 'int f(void) { return 1; }\n', scratch: '// try\nint main(void) { return f(); }\n' });
    // Authorship spans stay those of the solution.
    expect(history.seek(2).spans).toEqual([{ start: 0, end: 26, author: null }]);
  });
});
