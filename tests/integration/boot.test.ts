// Configuration and first start: env validation, the mentor key, the sign-in link.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.ts';
import { ROOT, tempDir } from './helpers.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';

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
  it('generates a mentor key, prints the sign-in link, and reuses the key next time', async () => {
    const dataDir = tempDir('ci-boot-');
    const start = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/index.ts')], {
          cwd: ROOT,
          env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MENTOR_KEY: '', RUNNER_CONCURRENCY: '1', EXERCISES_DIR: TEST_EXERCISES_DIR },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        const t = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(out))), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/mentor sign-in.*#key=\S+/.test(out)) {
            clearTimeout(t);
            child.kill('SIGTERM');
            child.once('exit', () => resolve(out));
          }
        });
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      });
    try {
      const first = await start();
      const key = fs.readFileSync(path.join(dataDir, 'mentor.key'), 'utf8').trim();
      expect(first).toMatch(new RegExp(`http://localhost:\\d+/mentor#key=${key}`));
      expect(first).toContain('new key');
      const second = await start();
      expect(second).toContain(`#key=${key}`);
      expect(second).not.toContain('new key');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
