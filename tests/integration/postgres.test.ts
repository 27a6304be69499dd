// The whole server on PostgreSQL (DATABASE_URL): a restart on the same database keeps the document,
// notes and deadline; and two servers on one database (two nodes) whose mentors press Start at the
// same moment record one start, while the losing node shows its room the stored timer.
import { afterAll, describe, expect, it } from 'vitest';
import { connect, startServer, storedText, tempDir, type TestServer } from './helpers.ts';
import { createTestDatabase } from '../support/postgres.ts';

const db = await createTestDatabase('the server-on-PostgreSQL integration tests');
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => {});
  await db?.drop();
});

describe.skipIf(!db)('the server on PostgreSQL', () => {
  it('keeps the document, notes and deadline across a restart on the same database', async () => {
    const databaseUrl = await db!.schemaUrl('restart');
    const dataDir = tempDir();
    const first = await startServer({ dataDir, databaseUrl, config: { snapshotEvery: 3 } });
    servers.push(first);
    const s = await first.createSession({ minutes: 60 });
    const mentor = await connect(first.url, s.links.mentor, 'Grace');
    const cand = await connect(first.url, s.links.candidate);
    const started = await mentor.socket.timeout(5000).emitWithAck('timer:start');
    if (!started.ok) throw new Error('start failed');
    for (let i = 0; i < 8; i++) expect((await cand.edit((t) => t.insert(t.length, `// line ${i}\n`))).ok).toBe(true);
    expect((await mentor.socket.timeout(5000).emitWithAck('note:add', { text: 'invariant first' })).ok).toBe(true);
    const textBefore = cand.text.toString();
    expect(await first.store.latestSnapshot(s.id)).toBeDefined();
    mentor.close();
    cand.close();
    await first.close({ keepData: true });

    const second = await startServer({ dataDir, databaseUrl });
    servers.push(second);
    const m2 = await connect(second.url, s.links.mentor, 'Grace');
    expect(m2.text.toString()).toBe(textBefore);
    expect(await storedText(second.store, s.id)).toBe(textBefore);
    expect(m2.state).toMatchObject({ status: 'live', timer: { startedAt: started.value.startedAt, deadline: started.value.deadline } });
    expect(m2.state!.notes).toMatchObject([{ text: 'invariant first' }]);
    m2.close();
  });

  it('two nodes, one database: simultaneous starts record one start; the other room gets the stored timer', async () => {
    const databaseUrl = await db!.schemaUrl('two_nodes');
    const a = await startServer({ databaseUrl });
    const b = await startServer({ databaseUrl });
    servers.push(a, b);
    const s = await a.createSession({ minutes: 30 });
    const onA = await connect(a.url, s.links.mentor, 'Grace');
    const onB = await connect(b.url, s.links.mentor, 'Alan');
    const watcherB = await connect(b.url, s.links.observer, 'Obs');
    const replies = await Promise.all([onA.socket.timeout(5000).emitWithAck('timer:start'), onB.socket.timeout(5000).emitWithAck('timer:start')]);
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.filter((r) => !r.ok)).toMatchObject([{ error: { code: 'conflict' } }]);
    const stored = (await a.store.getSession(s.id))!;
    expect(stored.status).toBe('live');
    expect((await a.store.listEvents(s.id)).filter((e) => e.type === 'start')).toHaveLength(1);
    // Whichever node lost, its room ends up showing the stored deadline.
    const lastTimer = (c: typeof watcherB) => c.events.filter((e) => e.event === 'timer:update').at(-1)?.args[0];
    await expect.poll(() => lastTimer(watcherB)).toMatchObject({ startedAt: stored.startedAt, deadline: stored.deadline });
    await expect.poll(() => lastTimer(onA)).toMatchObject({ deadline: stored.deadline });
    for (const c of [onA, onB, watcherB]) c.close();
  });
});
