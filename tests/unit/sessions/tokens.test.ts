import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
});
