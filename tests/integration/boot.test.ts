// Configuration and first start: env validation, the mentor key, the sign-in link.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.ts';
import { tempDir } from './helpers.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';
import { spawnServer } from '../support/server.ts';

describe('config', () => {
  it('has defaults and is frozen', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, dataDir: path.resolve('./data'), mentorKey: undefined, snapshotEvery: 500 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads and validates the environment', () => {
    expect(loadConfig({ PORT: '8080', DATA_DIR: '/tmp/x', MENTOR_KEY: 'k'.repeat(20), PUBLIC_URL: 'https://ci.example.com/' })).toMatchObject({
      port: 8080,
      dataDir: '/tmp/x',
      mentorKey: 'k'.repeat(20),
      publicUrl: 'https://ci.example.com',
    });
    expect(loadConfig({ PORT: '' }).port).toBe(3000); // empty = unset
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ MENTOR_KEY: 'short' })).toThrow(/MENTOR_KEY/);
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
  });
});

describe('first start', () => {
  it('prints a single-use setup link that makes the first admin, then only the sign-in address; the generated key stays an admin token', async () => {
    const dataDir = tempDir('ci-boot-');
    // Starts the server, waits for `until` in its output, hands the running server to `use`, then
    // stops it and resolves with everything it printed.
    const start = async (until: RegExp, use: (out: string, origin: string) => Promise<void> = async () => {}) => {
      const server = spawnServer({ env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MENTOR_KEY: '', RUNNER_CONCURRENCY: '1', EXERCISES_DIR: TEST_EXERCISES_DIR } });
      try {
        await server.waitFor(until, 60_000);
        const out = server.stdout();
        await use(out, /(http:\/\/localhost:\d+)\/mentor/.exec(out)![1]!);
      } finally {
        await server.stop();
      }
      return server.stdout();
    };
    const setupLine = /first start: create the first admin account[^\n]*#invite=([A-Za-z0-9_-]{43})/;
    try {
      let setupToken = '';
      const first = await start(setupLine, async (out, origin) => {
        setupToken = setupLine.exec(out)![1]!;
        const key = fs.readFileSync(path.join(dataDir, 'mentor.key'), 'utf8').trim();
        // The generated key is an admin API token, and it is not printed.
        expect(out).not.toContain(key);
        expect((await fetch(`${origin}/api/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
        const accept = (email: string) =>
          fetch(`${origin}/api/auth/accept`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ invite: setupToken, name: 'First Admin', email, password: 'a long enough passphrase' }),
          });
        const made = await accept('admin@example.org');
        expect(made.status).toBe(201);
        expect(await made.json()).toMatchObject({ name: 'First Admin', email: 'admin@example.org', role: 'admin', via: 'cookie' });
        expect(made.headers.get('set-cookie')).toMatch(/^ci_login=[^;]+;.*HttpOnly/i);
        // Single use.
        expect((await accept('second@example.org')).status).toBe(404);
      });
      expect(first).toContain('admin API token generated');
      // With an account, the next start prints the sign-in address and no setup link.
      const second = await start(/mentor sign-in: http:\/\/localhost:\d+\/mentor\b/);
      expect(second).not.toMatch(/#invite=|#key=/);
      expect(second).not.toContain('admin API token generated');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
