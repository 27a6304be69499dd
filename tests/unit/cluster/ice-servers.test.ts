// ICE_SERVERS (the call's STUN/TURN servers) is validated at startup like the rest of the
// configuration: a value the browsers could not use stops the server with a message saying why.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';
import { TURN_CREDENTIAL_TTL_S, iceServersFor, turnCredential } from '../../../server/src/ice-servers.ts';

describe('ICE_SERVERS', () => {
  it('is empty by default: no third-party server is contacted', () => {
    expect(loadConfig({}).iceServers).toEqual([]);
    expect(loadConfig({ ICE_SERVERS: '' }).iceServers).toEqual([]);
  });

  it('takes a JSON array of RTCIceServer objects', () => {
    const value = [
      { urls: 'stun:turn.example.org:3478' },
      { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], username: 'interview', credential: 's3cret' },
    ];
    expect(loadConfig({ ICE_SERVERS: JSON.stringify(value) }).iceServers).toEqual(value);
  });

  it('stops startup with a clear message on a value browsers could not use', () => {
    expect(() => loadConfig({ ICE_SERVERS: 'stun:turn.example.org' })).toThrow(/ICE_SERVERS must be JSON/);
    expect(() => loadConfig({ ICE_SERVERS: '{"urls":"stun:a.example"}' })).toThrow(/ICE_SERVERS: .*array/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"http://a.example"}]' })).toThrow(/"http:\/\/a.example" is not a stun:, stuns:, turn: or turns: URL/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"turn:a.example:3478"}]' })).toThrow(/a TURN server needs a username and a credential, or TURN_SECRET/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"turn:a.example:3478","username":"u"}]' })).toThrow(/both a username and a credential, or neither/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"url":"stun:a.example"}]' })).toThrow(/ICE_SERVERS/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":[]}]' })).toThrow(/ICE_SERVERS/);
  });
});

describe('TURN_SECRET (coturn static-auth-secret)', () => {
  const SECRET = 'north-wind-turn-secret-0123456789abcdef';
  const SERVERS = [
    { urls: 'stun:turn.example.org:3478' },
    { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'] },
    { urls: 'turn:other.example.org', username: 'fixed', credential: 'kept' },
  ];

  it('lets TURN entries go without credentials, and must be long enough to resist guessing', () => {
    const config = loadConfig({ ICE_SERVERS: JSON.stringify(SERVERS), TURN_SECRET: SECRET });
    expect(config.turnSecret).toBe(SECRET);
    expect(config.iceServers).toEqual(SERVERS);
    expect(() => loadConfig({ ICE_SERVERS: JSON.stringify(SERVERS), TURN_SECRET: 'short' })).toThrow(/TURN_SECRET must be at least 32 characters/);
  });

  it('mints a pair per member the way coturn checks it: "<expiry>:<who>" and base64(HMAC-SHA1(secret, username))', () => {
    // Computed independently (Python's hmac module) for this secret and username.
    expect(turnCredential(SECRET, '1700043200:participant-1')).toBe('1V1VbJCoAumWtyI1iWh8V1gM3JA=');
    const servers = iceServersFor(SERVERS, SECRET, 'participant-1', 1_700_000_000_000);
    expect(servers).toEqual([
      { urls: 'stun:turn.example.org:3478' },
      { urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'], username: '1700043200:participant-1', credential: '1V1VbJCoAumWtyI1iWh8V1gM3JA=' },
      { urls: 'turn:other.example.org', username: 'fixed', credential: 'kept' },
    ]);
    expect(TURN_CREDENTIAL_TTL_S).toBe(12 * 3600);
    // Another member gets another pair; the configured list is not changed.
    expect(iceServersFor(SERVERS, SECRET, 'participant-2', 1_700_000_000_000)[1]!.username).toBe('1700043200:participant-2');
    expect(SERVERS[1]).not.toHaveProperty('username');
  });
});
