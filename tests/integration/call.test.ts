// The room's call over a real server: who may join (interviewer and candidate in any status;
// observers, practice and review links never), that signals reach only members of the same
// session's call, its limits (SDP size, signal rate, people per call), and that join and leave are
// kept on the timeline, in the replay and through an export and import. Media never reaches the server.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LIMITS, type CallJoined, type CallMember } from '../../common/call.ts';
import type { Result, SessionSummary } from '../../common/protocol.ts';
import type { ReviewData } from '../../common/review.ts';
import { ManualClock } from '../../server/src/sessions/timer.ts';
import { connect, startServer, tokenOf, until, type TestServer, type YClient } from './helpers.ts';

const clock = new ManualClock();
const ICE = [{ urls: 'stun:stun.test.invalid:3478' }];
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ clock, config: { iceServers: ICE } });
});
afterAll(async () => {
  await server.close();
});

const AV = { audio: true, video: true };
const join = (c: YClient, media: unknown = AV) => c.socket.timeout(5000).emitWithAck('call:join', media as typeof AV) as Promise<Result<CallJoined>>;
const leave = (c: YClient) => c.socket.timeout(5000).emitWithAck('call:leave');
const signal = (c: YClient, payload: unknown) => c.socket.timeout(5000).emitWithAck('call:signal', payload as { to: string });
const offer = (to: string, sdp = 'v=0\r\n') => ({ to, description: { type: 'offer', sdp } });
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);
const callEvents = (c: YClient) => c.events.filter((e) => e.event.startsWith('call:'));
const stored = async (sessionId: string) => (await server.store.listEvents(sessionId)).filter((e) => e.type === 'call').map((e) => ({ by: e.participantId, ...e.data }));
const review = (s: SessionSummary) => server.http('GET', '/api/review', undefined, tokenOf(s.links.review));

describe('who may join the call', () => {
  it('interviewer and candidate join in every status; an observer is refused and hears nothing of it', async () => {
    const s = await server.createSession({ candidateName: 'Grace' });
    const mentor = await connect(server.url, s.links.mentor, 'Mia');
    const candidate = await connect(server.url, s.links.candidate);
    const observer = await connect(server.url, s.links.observer, 'Olga');

    // Waiting: the first one in finds nobody, and gets the configured ICE servers.
    const first = await join(mentor);
    expect(first).toEqual({ ok: true, value: { you: mentor.socket.id, members: [], iceServers: ICE } });
    expect(code(await join(mentor))).toBe('conflict');
    const heard = mentor.next<[CallMember]>('call:joined');
    const second = await join(candidate, { audio: true, video: false });
    expect(second.ok && second.value.members).toEqual([{ peerId: mentor.socket.id, participantId: mentor.state!.you.id, name: 'Mia', role: 'mentor', audio: true, video: true }]);
    expect((await heard)[0]).toEqual({ peerId: candidate.socket.id, participantId: candidate.state!.you.id, name: 'Grace', role: 'candidate', audio: true, video: false });

    expect(await join(observer)).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'An observer may not do that.' } });
    expect(await signal(observer, offer(mentor.socket.id!))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await leave(observer)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await observer.socket.timeout(5000).emitWithAck('call:state', { audio: false, video: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Mute and camera: told to the other members.
    const muted = mentor.next<[CallMember]>('call:state');
    expect(code(await candidate.socket.timeout(5000).emitWithAck('call:state', { audio: false, video: false }))).toBe('ok');
    expect((await muted)[0]).toMatchObject({ peerId: candidate.socket.id, audio: false, video: false });

    // A description goes to the member it names, with who sent it.
    const got = candidate.next<[unknown]>('call:signal');
    expect(code(await signal(mentor, offer(candidate.socket.id!, 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n')))).toBe('ok');
    expect((await got)[0]).toEqual({ from: mentor.socket.id, description: { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' } });
    const cand = mentor.next<[unknown]>('call:signal');
    const ice = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
    expect(code(await signal(candidate, { to: mentor.socket.id, candidate: ice }))).toBe('ok');
    expect((await cand)[0]).toEqual({ from: candidate.socket.id, candidate: ice });

    const left = mentor.next<[string]>('call:left');
    expect(code(await leave(candidate))).toBe('ok');
    expect((await left)[0]).toBe(candidate.socket.id);

    // Live, then ended: the discussion follows the coding.
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    clock.advance(60_000);
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    expect(code(await join(candidate, { audio: true, video: false }))).toBe('ok');
    // Closing the connection leaves the call.
    const gone = candidate.next<[string]>('call:left');
    const mentorSocket = mentor.socket.id;
    mentor.close();
    expect((await gone)[0]).toBe(mentorSocket);

    expect(callEvents(observer)).toEqual([]);
    const mentorId = mentor.state!.you.id,
      candidateId = candidate.state!.you.id;
    await until(async () => (await stored(s.id)).length === 5, 5000, 'five call events');
    expect(await stored(s.id)).toEqual([
      { by: mentorId, action: 'join', audio: true, video: true },
      { by: candidateId, action: 'join', audio: true, video: false },
      { by: candidateId, action: 'leave', audio: false, video: false },
      { by: candidateId, action: 'join', audio: true, video: false },
      { by: mentorId, action: 'leave', audio: true, video: true },
    ]);
    candidate.close();
    observer.close();
  });

  it('is not offered in practice, and a review link opens no socket', async () => {
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
    expect(await join(student)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    student.close();
    const s = await server.createSession();
    await expect(connect(server.url, s.links.review)).rejects.toThrow();
  });

  it('refuses malformed payloads', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    for (const bad of [null, 42, {}, { audio: 'yes', video: true }, { audio: true, video: true, extra: 1 }]) {
      expect(code(await join(mentor, bad)), JSON.stringify(bad)).toBe('bad_request');
    }
    expect(code(await join(mentor))).toBe('ok');
    for (const bad of [
      { to: 'x' },
      { to: 'x', description: { type: 'offer', sdp: 'v=0' }, candidate: null },
      { to: 'x', description: { type: 'hello' } },
      { to: 'x', candidate: { candidate: 'c'.repeat(CALL_LIMITS.candidateChars + 1) } },
    ]) {
      expect(code(await signal(mentor, bad)), JSON.stringify(bad)).toBe('bad_request');
    }
    mentor.close();
  });
});

describe('signals reach members of the same call only', () => {
  it('refuses a signal to someone outside the call or in another session, and delivers nothing', async () => {
    const a = await server.createSession({ candidateName: 'Ann' });
    const b = await server.createSession({ candidateName: 'Bob' });
    const mentorA = await connect(server.url, a.links.mentor);
    const candidateA = await connect(server.url, a.links.candidate);
    const observerA = await connect(server.url, a.links.observer);
    const mentorB = await connect(server.url, b.links.mentor);
    const candidateB = await connect(server.url, b.links.candidate);
    expect(code(await join(mentorA))).toBe('ok');
    expect(code(await join(mentorB))).toBe('ok');

    // Not in the call yet: nothing to send to anyone.
    expect(await signal(candidateA, offer(mentorA.socket.id!))).toMatchObject({ ok: false, error: { code: 'conflict', message: 'Join the call first.' } });
    // A connection of session A in the room but not in the call.
    expect(await signal(mentorA, offer(candidateA.socket.id!))).toMatchObject({ ok: false, error: { code: 'not_found', message: 'That person is not in this call.' } });
    expect(await signal(mentorA, offer(observerA.socket.id!))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Session B's call member, from session A's call: B's token gives no way into A's call.
    expect(await signal(mentorA, offer(mentorB.socket.id!))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await signal(mentorB, offer(mentorA.socket.id!))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Room names are not socket ids: no broadcast to a whole session.
    expect(await signal(mentorA, offer(`s:${b.id}`))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await signal(mentorA, offer(`s:${a.id}:call`))).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await signal(mentorA, offer(mentorA.socket.id!))).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // Joining B's call from A is joining A's call: B's members hear nothing.
    expect(code(await join(candidateA))).toBe('ok');
    expect(code(await signal(candidateA, offer(mentorA.socket.id!)))).toBe('ok');
    await until(() => mentorA.events.some((e) => e.event === 'call:signal'), 5000, 'the signal in session A');

    for (const c of [observerA, mentorB, candidateB]) expect(callEvents(c)).toEqual([]);
    expect(callEvents(candidateA).filter((e) => e.event === 'call:signal')).toEqual([]);
    for (const c of [mentorA, candidateA, observerA, mentorB, candidateB]) c.close();
  });
});

describe('call limits', () => {
  it('refuses a session description over 32 KiB, delivering nothing', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    const candidate = await connect(server.url, s.links.candidate);
    expect(code(await join(mentor))).toBe('ok');
    expect(code(await join(candidate))).toBe('ok');
    const largest = 'a'.repeat(CALL_LIMITS.sdpBytes);
    expect(code(await signal(mentor, offer(candidate.socket.id!, largest)))).toBe('ok');
    const tooLarge = await signal(mentor, offer(candidate.socket.id!, largest + 'é'));
    expect(tooLarge).toMatchObject({ ok: false, error: { code: 'too_large', message: `A session description is ${CALL_LIMITS.sdpBytes + 2} bytes; at most 32 KiB may be sent.` } });
    await until(() => candidate.events.some((e) => e.event === 'call:signal'), 5000, 'the largest description');
    await new Promise((r) => setTimeout(r, 50));
    expect(candidate.events.filter((e) => e.event === 'call:signal')).toHaveLength(1);
    mentor.close();
    candidate.close();
  });

  it('allows 300 signals per connection in 10 seconds', async () => {
    const s = await server.createSession();
    const mentor = await connect(server.url, s.links.mentor);
    const candidate = await connect(server.url, s.links.candidate);
    expect(code(await join(mentor))).toBe('ok');
    expect(code(await join(candidate))).toBe('ok');
    const ice = (i: number) => ({ to: candidate.socket.id, candidate: { candidate: `candidate:${i} 1 udp 1 127.0.0.1 ${50_000 + i} typ host`, sdpMid: '0', sdpMLineIndex: 0 } });
    // In batches, with pauses for the connection's general event budget (100 a second).
    for (let batch = 0; batch < 3; batch++) {
      const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => signal(mentor, ice(batch * 100 + i))));
      expect(replies.map(code)).toEqual(Array(100).fill('ok'));
      await new Promise((r) => setTimeout(r, 1_100));
    }
    expect(await signal(mentor, ice(300))).toMatchObject({ ok: false, error: { code: 'rate_limited', message: 'At most 300 call signals every 10 seconds; wait 10 s.' } });
    // Another connection has its own allowance.
    expect(code(await signal(candidate, { to: mentor.socket.id, candidate: null }))).toBe('ok');
    clock.advance(CALL_LIMITS.signalWindowSeconds * 1000);
    expect(code(await signal(mentor, ice(301)))).toBe('ok');
    await until(() => candidate.events.filter((e) => e.event === 'call:signal').length === 301, 5000, '301 signals');
    mentor.close();
    candidate.close();
  }, 20_000);

  it('holds at most 4 people, even when five join at once', async () => {
    const s = await server.createSession();
    const people = [
      await connect(server.url, s.links.mentor, 'M1'),
      await connect(server.url, s.links.mentor, 'M2'),
      await connect(server.url, s.links.mentor, 'M3'),
      await connect(server.url, s.links.candidate),
      await connect(server.url, s.links.mentor, 'M4'),
    ];
    const replies = await Promise.all(people.map((p) => join(p)));
    expect(replies.filter((r) => r.ok)).toHaveLength(CALL_LIMITS.members);
    expect(replies.filter((r) => !r.ok)).toEqual([{ ok: false, error: { code: 'conflict', message: 'The call is full: at most 4 people.' } }]);
    // Someone leaves: there is a place again.
    const inCall = people.filter((_, i) => replies[i]!.ok);
    const outside = people.find((_, i) => !replies[i]!.ok)!;
    expect(code(await leave(inCall[0]!))).toBe('ok');
    const back = await join(outside);
    expect(back.ok && back.value.members).toHaveLength(3);
    for (const p of people) p.close();
  });
});

describe('the call on the timeline', () => {
  it('keeps join and leave (never media) in the replay, the export and the imported copy', async () => {
    const s = await server.createSession({ candidateName: 'Alan' });
    const mentor = await connect(server.url, s.links.mentor, 'Mia');
    const candidate = await connect(server.url, s.links.candidate);
    expect((await mentor.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
    clock.advance(10_000);
    expect(code(await join(mentor))).toBe('ok');
    clock.advance(5_000);
    expect(code(await join(candidate, { audio: true, video: false }))).toBe('ok');
    clock.advance(20_000);
    expect(code(await leave(candidate))).toBe('ok');
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    expect(code(await leave(mentor))).toBe('ok');
    mentor.close();
    candidate.close();

    const original = (await review(s)).body as ReviewData;
    const callsOf = (d: ReviewData) =>
      d.events.filter((e) => e.type === 'call').map((e) => ({ at: e.at - d.session.startedAt!, by: d.participants.find((p) => p.id === e.participantId)?.name, ...e.data }));
    expect(callsOf(original)).toEqual([
      { at: 10_000, by: 'Mia', action: 'join', audio: true, video: true },
      { at: 15_000, by: 'Alan', action: 'join', audio: true, video: false },
      { at: 35_000, by: 'Alan', action: 'leave', audio: true, video: false },
      { at: 35_000, by: 'Mia', action: 'leave', audio: true, video: true },
    ]);
    const exported = await server.http('GET', '/api/review/export', undefined, tokenOf(s.links.review));
    expect(exported.status).toBe(200);
    expect((exported.body as { events: { type: string }[] }).events.filter((e) => e.type === 'call')).toHaveLength(4);
    const imported = await server.http('POST', '/api/import', exported.body);
    expect(imported.status).toBe(201);
    const copy = (await review(imported.body as SessionSummary)).body as ReviewData;
    expect(callsOf(copy)).toEqual(callsOf(original));
  });
});

describe('TURN credentials minted per member (TURN_SECRET)', () => {
  it('gives each member a pair of its own that coturn can check, valid for 12 hours', async () => {
    const secret = 'integration-turn-secret-0123456789abcdef';
    const turn = { urls: ['turn:turn.test.invalid:3478', 'turns:turn.test.invalid:5349'] };
    const minting = await startServer({ clock, config: { iceServers: [...ICE, turn], turnSecret: secret } });
    try {
      const s = await minting.createSession({ candidateName: 'Ida' });
      const mentor = await connect(minting.url, s.links.mentor, 'Mia');
      const candidate = await connect(minting.url, s.links.candidate);
      const before = Math.floor(Date.now() / 1000);
      const a = await join(mentor);
      const b = await join(candidate);
      const after = Math.floor(Date.now() / 1000);
      if (!a.ok || !b.ok) throw new Error('join refused');
      for (const [joined, who] of [
        [a.value, mentor.state!.you.id],
        [b.value, candidate.state!.you.id],
      ] as const) {
        expect(joined.iceServers[0]).toEqual(ICE[0]);
        const minted = joined.iceServers[1]!;
        expect(minted.urls).toEqual(turn.urls);
        const [expiry, id] = minted.username!.split(':');
        expect(id).toBe(who);
        expect(Number(expiry)).toBeGreaterThanOrEqual(before + 12 * 3600);
        expect(Number(expiry)).toBeLessThanOrEqual(after + 12 * 3600);
        expect(minted.credential).toBe(crypto.createHmac('sha1', secret).update(minted.username!).digest('base64'));
      }
      mentor.close();
      candidate.close();
    } finally {
      await minting.close();
    }
  });
});
