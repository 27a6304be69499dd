// Names and notes over HTTP and the socket: empty, blank and over-long input is refused with a
// message naming the field and the limit (never cut silently); at the limit it is kept whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { connect, startServer, type TestServer } from './helpers.ts';

let server: TestServer;
let session: SessionSummary;
beforeAll(async () => {
  server = await startServer();
  session = await server.createSession({ candidateName: 'Barbara Liskov' });
});
afterAll(async () => {
  await server.close();
});

describe('candidate name (80 characters)', () => {
  it('refuses a missing, blank or over-long name with the field and the limit', async () => {
    const cases: Array<[unknown, string]> = [
      ['', 'Invalid session: candidateName: The candidate name is required.'],
      ['   \t ', 'Invalid session: candidateName: The candidate name is required (only spaces were given).'],
      ['a'.repeat(81), 'Invalid session: candidateName: The candidate name must be at most 80 characters (it has 81).'],
      [42, 'Invalid session: candidateName: The candidate name must be a string.'],
    ];
    for (const [candidateName, message] of cases) {
      const r = await server.http('POST', '/api/sessions', { candidateName });
      expect(r.status).toBe(400);
      expect(r.body.error).toEqual({ code: 'bad_request', message });
    }
  });

  it('keeps 80 characters whole, counting an emoji as one', async () => {
    const name = '🙂'.repeat(40) + 'é'.repeat(40);
    const r = await server.http('POST', '/api/sessions', { candidateName: `  ${name}  ` });
    expect(r.status).toBe(201);
    expect(r.body.candidateName).toBe(name);
  });
});

describe('notes (4,000 characters)', () => {
  it('refuses an over-long or blank note with the field and the limit; keeps 4,000 whole', async () => {
    const mentor = await connect(server.url, session.links.mentor, 'M');
    try {
      const add = (text: string) => mentor.socket.timeout(5000).emitWithAck('note:add', { text });
      expect(await add('x'.repeat(4001))).toEqual({
        ok: false,
        error: { code: 'bad_request', message: 'Invalid payload: text: A note must be at most 4,000 characters (it has 4,001).' },
      });
      expect(await add(' \n ')).toEqual({ ok: false, error: { code: 'bad_request', message: 'Invalid payload: text: A note is required (only spaces were given).' } });
      const full = '🙂'.repeat(4000);
      const r = await add(full);
      expect(r.ok && r.value.text).toBe(full);
    } finally {
      mentor.close();
    }
  });
});

describe('display names in the handshake (80 characters)', () => {
  it('refuses an over-long name with a readable reason instead of cutting it', async () => {
    await expect(connect(server.url, session.links.observer, 'n'.repeat(81))).rejects.toMatchObject({
      message: 'Your name must be at most 80 characters.',
      data: { code: 'bad_request' },
    });
    const ok = await connect(server.url, session.links.observer, 'n'.repeat(80));
    expect(ok.state?.you.name).toBe('n'.repeat(80));
    ok.close();
  });
});
