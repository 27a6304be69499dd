// The room's chat over a real server: who may send (interviewer and candidate in any status,
// observers and practice never, review links have no socket at all), who hears it (the whole room),
// its bounds (length, rate per participant, count per session), and that it is kept: a late joiner
// and a reconnection get the history, the replay lists it, an export imports with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SessionSummary } from '../../common/protocol.ts';
import { LIMITS } from '../../common/protocol.ts';
import type { ReviewData } from '../../common/review.ts';
import { ManualClock } from '../../server/src/sessions/timer.ts';
import { connect, startServer, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

const clock = new ManualClock();
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ clock });
});
afterAll(async () => {
  await server.close();
});

const send = (c: YClient, text: unknown) => c.socket.timeout(5000).emitWithAck('chat:send', text as { text: string });
const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
const review = (s: SessionSummary) => server.http('GET', '/api/review', undefined, tokenOf(s.links.review));

describe('who may chat', () => {
  it('interviewer and candidate send in every status, everyone in the room receives, observers only read', async () => {
    const s = await server.createSession({ candidateName: 'Grace' });
    const mentor = await connect(server.url, s.links.mentor, 'Mia');
    const candidate = await connect(server.url, s.links.candidate);
    const observer = await connect(server.url, s.links.observer, 'Olga');
    const all = [mentor, candidate, observer];
    const heard = all.map((c) => c.next<[ChatMessage]>('chat:added', (m) => m.text === 'Hello, ready when you are.'));

    // Waiting: the discussion may start before the clock.
    const hello = await send(mentor, { text: '  Hello, ready when you are.  ' });
    expect(hello).toMatchObject({ ok: true, value: { text: 'Hello, ready when you are.', name: 'Mia', role: 'mentor', at: clock.now() } });
    for (const [m] of await Promise.all(heard)) expect(m).toEqual((hello as { value: ChatMessage }).value);

    const fromObserver = await send(observer, { text: 'I should not be heard' });
    expect(fromObserver).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'An observer may not do that.' } });

    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    clock.advance(65_000);
    expect(code(await send(candidate, { text: 'Live: should `len` be a `size_t`?' }))).toBe('ok');
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    clock.advance(1_000);
    // Ended: the technical discussion follows the coding.
    expect(code(await send(candidate, { text: 'After the end: thanks!' }))).toBe('ok');
    expect(code(await send(mentor, { text: 'Thank you, Grace.' }))).toBe('ok');
    await until(() => observer.events.filter((e) => e.event === 'chat:added').length === 4, 5000, 'four messages at the observer');
    expect(observer.events.filter((e) => e.event === 'chat:added').map((e) => (e.args[0] as ChatMessage).text)).toEqual([
      'Hello, ready when you are.',
      'Live: should `len` be a `size_t`?',
      'After the end: thanks!',
      'Thank you, Grace.',
    ]);
    expect(observer.events.some((e) => e.event === 'chat:added' && (e.args[0] as ChatMessage).text.includes('not be heard'))).toBe(false);

    // A late joiner (another observer) gets the whole history with authors and times.
    const late = await connect(server.url, s.links.observer, 'Late Lee');
    expect(late.state!.chat!.map((m) => [m.name, m.role, m.text])).toEqual([
      ['Mia', 'mentor', 'Hello, ready when you are.'],
      ['Grace', 'candidate', 'Live: should `len` be a `size_t`?'],
      ['Grace', 'candidate', 'After the end: thanks!'],
      ['Mia', 'mentor', 'Thank you, Grace.'],
    ]);
    // Private notes stay the mentor's: the chat does not carry them, and the observer's view has none.
    expect(late.state!.notes).toBeUndefined();
    for (const c of [...all, late]) c.close();

    // The replay (review link) lists them as 'chat' events with their authors and times.
    const data = (await review(s)).body as ReviewData;
    const chat = data.events.filter((e) => e.type === 'chat');
    expect(chat.map((e) => e.data['text'])).toEqual(['Hello, ready when you are.', 'Live: should `len` be a `size_t`?', 'After the end: thanks!', 'Thank you, Grace.']);
    const startedAt = data.session.startedAt!;
    expect(chat[1]!.at - startedAt).toBe(65_000);
    const candidateId = data.participants.find((p) => p.role === 'candidate')!.id;
    expect(chat[1]!.participantId).toBe(candidateId);
  });

  it('is not offered in practice', async () => {
    const first = await fetch(`${server.url}/api/practice/exercises`);
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${server.url}/api/practice/attempts`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ exercise: 'ring-buffer', start: true }),
    });
    expect(res.status).toBe(201);
    const student = await connect(server.url, ((await res.json()) as { link: string }).link);
    expect(student.state!.mode).toBe('practice');
    expect(student.state!.chat).toBeUndefined();
    expect(await send(student, { text: 'anyone here?' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    student.close();
  });

  it('a review link opens no socket, so it cannot send', async () => {
    const s = await server.createSession();
    await expect(connect(server.url, s.links.review)).rejects.toThrow();
  });
});

describe('chat bounds', () => {
  it('refuses empty, oversized and malformed messages with a message saying why, and stores nothing', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    const longest = 'é'.repeat(LIMITS.chatChars);
    expect(code(await send(mentor, { text: longest }))).toBe('ok');
    const tooLong = await send(mentor, { text: longest + 'x' });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect((tooLong as { error: { message: string } }).error.message).toContain('at most 2,000 characters (it has 2,001)');
    expect(await send(mentor, { text: '   ' })).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('only spaces') } });
    expect(code(await send(mentor, { text: 42 }))).toBe('bad_request');
    expect(code(await send(mentor, { text: 'hi', extra: true }))).toBe('bad_request');
    expect(code(await send(mentor, undefined))).toBe('bad_request');
    const stored = (await server.store.listEvents(s.id)).filter((e) => e.type === 'chat');
    expect(stored.map((e) => e.data['text'])).toEqual([longest]);
    mentor.close();
  });

  it('allows 10 messages per participant in 10 seconds, each participant on their own', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    const candidate = await connect(server.url, s.links.candidate);
    for (let i = 0; i < LIMITS.chatPerWindow; i++) expect(code(await send(mentor, { text: `m${i}` }))).toBe('ok');
    const refused = await send(mentor, { text: 'one too many' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', message: 'At most 10 messages every 10 seconds; wait 10 s.' } });
    // Another participant is not held back by the first.
    expect(code(await send(candidate, { text: 'my turn' }))).toBe('ok');
    clock.advance(LIMITS.chatWindowSeconds * 1000);
    expect(code(await send(mentor, { text: 'after the window' }))).toBe('ok');
    const texts = (await server.store.listEvents(s.id)).filter((e) => e.type === 'chat').map((e) => e.data['text']);
    expect(texts).toHaveLength(LIMITS.chatPerWindow + 2);
    expect(texts).not.toContain('one too many');
    mentor.close();
    candidate.close();
  });

  it('holds at most 1000 messages per session, counting those stored before the session was loaded', async () => {
    const s = await server.createSession();
    for (let i = 0; i < LIMITS.chatPerSession - 1; i++) {
      await server.store.addEvent(s.id, { at: clock.now(), type: 'chat', participantId: null, data: { id: `seed-${i}`, text: `old ${i}` } });
    }
    const mentor = await connect(server.url, s.links.mentor);
    expect(mentor.state!.chat).toHaveLength(LIMITS.chatPerSession - 1);
    expect(code(await send(mentor, { text: 'the last one' }))).toBe('ok');
    const full = await send(mentor, { text: 'one more' });
    expect(full).toMatchObject({ ok: false, error: { code: 'too_large', message: "This session's chat is full (1,000 messages)." } });
    expect((await server.store.listEvents(s.id)).filter((e) => e.type === 'chat')).toHaveLength(LIMITS.chatPerSession);
    mentor.close();
  });
});

describe('chat kept with the session', () => {
  it('survives a restart of the server: a reconnection gets the history', async () => {
    const first = await startServer();
    const s = await first.createSession({ candidateName: 'Linus' });
    const candidate = await connect(first.url, s.links.candidate);
    expect(code(await send(candidate, { text: 'Before the restart' }))).toBe('ok');
    candidate.close();
    await first.close({ keepData: true });
    const again = await startServer({ dataDir: first.dataDir });
    try {
      const mentor = await connect(again.url, s.links.mentor, 'Mia');
      expect(mentor.state!.chat!.map((m) => [m.name, m.role, m.text])).toEqual([['Linus', 'candidate', 'Before the restart']]);
      expect(code(await send(mentor, { text: 'After it' }))).toBe('ok');
      mentor.close();
    } finally {
      await again.close();
    }
  });

  it('survives the export and import, in the replay of the imported copy', async () => {
    const s = await server.createSession({ candidateName: 'Alan' });
    const mentor = await connect(server.url, s.links.mentor, 'Mia');
    const candidate = await connect(server.url, s.links.candidate);
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    clock.advance(30_000);
    expect(code(await send(candidate, { text: 'Fenced:\n```c\nint x = 1;\n```' }))).toBe('ok');
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    expect(code(await send(mentor, { text: 'Walk me through it.' }))).toBe('ok');
    mentor.close();
    candidate.close();

    const original = (await review(s)).body as ReviewData;
    const exported = await server.http('GET', '/api/review/export', undefined, tokenOf(s.links.review));
    expect(exported.status).toBe(200);
    const imported = await server.http('POST', '/api/import', exported.body);
    expect(imported.status).toBe(201);
    const copy = (await review(imported.body as SessionSummary)).body as ReviewData;
    const chatOf = (d: ReviewData) =>
      d.events
        .filter((e) => e.type === 'chat')
        .map((e) => ({ at: e.at - d.session.startedAt!, text: e.data['text'], by: d.participants.find((p) => p.id === e.participantId)?.name }));
    expect(chatOf(copy)).toEqual([
      { at: 30_000, text: 'Fenced:\n```c\nint x = 1;\n```', by: 'Alan' },
      { at: 30_000, text: 'Walk me through it.', by: 'Mia' },
    ]);
    expect(chatOf(copy)).toEqual(chatOf(original));
  });
});
