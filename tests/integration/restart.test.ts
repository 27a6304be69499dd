// A restart on the same database keeps documents, notes and deadlines; a session whose deadline
// passed while the server was down ends at that deadline and is graded (real runner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runner } from '../../server/src/runner/index.ts';
import { ManualClock, MINUTE } from '../../server/src/sessions/timer.ts';
import { connect, startServer, storedText, tempDir, testRunner, type TestServer } from './helpers.ts';

let runner: Runner;
const servers: TestServer[] = [];

beforeAll(() => {
  runner = testRunner();
});
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => {});
  await runner?.close();
});

describe('restart', () => {
  it('keeps the document, notes and deadline; ends and grades what expired while down', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock();
    // Tiny snapshot interval so loading goes through snapshot + later updates.
    const first = await startServer({ dataDir, clock, runner, config: { snapshotEvery: 3 } });
    servers.push(first);
    const long = await first.createSession({ minutes: 60, candidateName: 'Long' });
    const short = await first.createSession({ minutes: 5, candidateName: 'Short' });

    // Each timer is started before the candidate edits (a waiting session refuses their edits);
    // the manual clock does not move meanwhile, so the deadlines are as if started after.
    const mentor = await connect(first.url, long.links.mentor, 'Grace');
    const cand = await connect(first.url, long.links.candidate);
    const started = await mentor.socket.timeout(5000).emitWithAck('timer:start');
    if (!started.ok) throw new Error('start failed');
    for (let i = 0; i < 10; i++) expect((await cand.edit((t) => t.insert(t.length, `// line ${i}\n`))).ok).toBe(true);
    const note = await mentor.socket.timeout(5000).emitWithAck('note:add', { text: 'Asked about\nthe invariant' });
    expect(note.ok).toBe(true);
    const textBefore = cand.text.toString();
    expect(await first.store.latestSnapshot(long.id)).toBeDefined();

    const shortMentor = await connect(first.url, short.links.mentor);
    const shortCand = await connect(first.url, short.links.candidate);
    expect((await shortMentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    expect((await shortCand.edit((t) => t.insert(0, '// short session\n'))).ok).toBe(true);
    const shortDeadline = clock.now() + 5 * MINUTE;
    for (const c of [mentor, cand, shortMentor, shortCand]) c.close();
    await first.close({ keepData: true });

    // Down for 10 minutes: the short session's deadline passes meanwhile.
    clock.advance(10 * MINUTE);
    const second = await startServer({ dataDir, clock, runner, config: { snapshotEvery: 3 } });
    servers.push(second);

    const m2 = await connect(second.url, long.links.mentor, 'Grace');
    expect(m2.text.toString()).toBe(textBefore);
    expect(m2.state).toMatchObject({ status: 'live', timer: { startedAt: started.value.startedAt, deadline: started.value.deadline } });
    expect(m2.state!.notes).toEqual([{ id: expect.any(String), at: expect.any(Number), text: 'Asked about\nthe invariant' }]);

    const shortState = await second.store.getSession(short.id);
    expect(shortState).toMatchObject({ status: 'ended', endedAt: shortDeadline });
    await second.app.sessions.idle();
    const finals = (await second.store.listRuns(short.id)).filter((r) => r.kind === 'final');
    expect(finals).toHaveLength(1);
    expect(finals[0]!.result.total).toBeGreaterThan(0);
    expect(await storedText(second.store, short.id)).toContain('// short session');
    const timerEvents = (await second.store.listEvents(short.id)).filter((e) => e.type !== 'join' && e.type !== 'leave');
    expect(timerEvents.map((e) => e.type)).toEqual(['start', 'deadline']);

    // The long session's timer still runs on the resumed server.
    const ended = m2.next('timer:update', (_t: unknown, st: unknown) => st === 'ended');
    clock.advance(started.value.deadline! - clock.now());
    await ended;
    await second.app.sessions.idle();
    expect((await second.store.listRuns(long.id)).filter((r) => r.kind === 'final')).toHaveLength(1);
    m2.close();
  });
});
