// ICE_SERVERS (the call's STUN/TURN servers) is validated at startup like the rest of the
// configuration: a value the browsers could not use stops the server with a message saying why.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/src/config.ts';

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
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":"turn:a.example:3478"}]' })).toThrow(/a TURN server needs a username and a credential/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"url":"stun:a.example"}]' })).toThrow(/ICE_SERVERS/);
    expect(() => loadConfig({ ICE_SERVERS: '[{"urls":[]}]' })).toThrow(/ICE_SERVERS/);
  });
});
