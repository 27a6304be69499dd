import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashToken, isTokenShape, loadKeys, newToken, seal, secretsEqual, unseal } from '../../../server/src/sessions/tokens.ts';

describe('tokens', () => {
  it('are 256 random bits in base64url and unique', () => {
    const a = newToken();
    expect(isTokenShape(a)).toBe(true);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 1000 }, newToken)).size).toBe(1000);
    expect(isTokenShape('short')).toBe(false);
    expect(isTokenShape(a + '=')).toBe(false);
    expect(isTokenShape(42)).toBe(false);
  });

  it('are stored as a sha256 hash and a sealed copy that only the link key opens', () => {
    const t = newToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
    const key = Buffer.alloc(32, 7);
    const sealed = seal(key, t);
    expect(sealed).not.toContain(t);
    expect(unseal(key, sealed)).toBe(t);
    expect(() => unseal(Buffer.alloc(32, 8), sealed)).toThrow();
    const tampered = Buffer.from(sealed, 'base64url');
    tampered[tampered.length - 1]! ^= 1;
    expect(() => unseal(key, tampered.toString('base64url'))).toThrow();
  });

  it('secretsEqual compares whole values', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('abc', 'abcd')).toBe(false);
    expect(secretsEqual('', 'x')).toBe(false);
  });
});

describe('loadKeys', () => {
  it('generates the mentor and link keys once (mode 0600) and reuses them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-keys-'));
    try {
      const first = loadKeys(dir);
      expect(first.mentorKeyGenerated).toBe(true);
      expect(fs.statSync(path.join(dir, 'mentor.key')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, 'link.key')).mode & 0o777).toBe(0o600);
      const second = loadKeys(dir);
      expect(second.mentorKeyGenerated).toBe(false);
      expect(second.mentorKey).toBe(first.mentorKey);
      expect(second.linkKey.equals(first.linkKey)).toBe(true);
      const env = loadKeys(dir, 'from-the-environment-123');
      expect(env.mentorKey).toBe('from-the-environment-123');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives every process starting at once in one DATA_DIR the same, whole keys (several nodes)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-keys-race-'));
    const tokens = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../server/src/sessions/tokens.ts');
    const script = `const { loadKeys } = await import(${JSON.stringify(pathToFileURL(tokens).href)});
      const at = Number(process.argv[1]); while (Date.now() < at) {}
      const k = loadKeys(process.argv[2]); console.log(k.linkKey.toString('hex') + ' ' + k.mentorKey);`;
    try {
      const start = Date.now() + 3_000; // all spin until the same instant, then race
      const outputs = await Promise.all(
        Array.from(
          { length: 6 },
          () =>
            new Promise<string>((resolve, reject) => {
              execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, String(start), dir], (err, stdout, stderr) =>
                err ? reject(new Error(stderr || err.message)) : resolve(stdout.trim()),
              );
            }),
        ),
      );
      expect(new Set(outputs).size).toBe(1);
      expect(outputs[0]).toMatch(/^[0-9a-f]{64} \S{20,}$/);
      expect(fs.readdirSync(dir).sort()).toEqual(['link.key', 'mentor.key']); // no temporary files left
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
