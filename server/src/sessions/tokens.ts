// Capability tokens and the mentor key. Tokens are 256 random bits; the database keeps only their
// sha256 (for lookup) and a copy sealed with the link key (so the mentor can list links again).
// The link key lives in a separate file, so a leaked database alone grants nothing.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** Participant ids are not secrets; they only need to be unique. */
export function participantId(): string {
  return 'p_' + crypto.randomBytes(8).toString('base64url');
}

/** A token as newToken makes them: 43 base64url characters. Anything else is refused unread. */
export function isTokenShape(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two secrets of any length. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a, 'utf8').digest();
  const hb = crypto.createHash('sha256').update(b, 'utf8').digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** AES-256-GCM; output is base64url(iv | tag | ciphertext). */
export function seal(key: Buffer, plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url');
}

export function unseal(key: Buffer, sealed: string): string {
  const buf = Buffer.from(sealed, 'base64url');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}

export interface Keys {
  mentorKey: string;
  /** 32 bytes for seal/unseal. */
  linkKey: Buffer;
  /** True when the mentor key was generated on this start (first start). */
  mentorKeyGenerated: boolean;
}

function readOrCreate(file: string, make: () => string): { value: string; created: boolean } {
  try {
    return { value: fs.readFileSync(file, 'utf8').trim(), created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const value = make();
  // Written whole to a file of our own, then linked into place: another process starting at the
  // same moment (several nodes sharing DATA_DIR) never reads a half-written key. The link fails
  // if one was put there meanwhile; then theirs is the key.
  const temp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}`;
  fs.writeFileSync(temp, value + '\n', { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return { value, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { value: fs.readFileSync(file, 'utf8').trim(), created: false };
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Mentor key from MENTOR_KEY or DATA_DIR/mentor.key; link key from DATA_DIR/link.key. */
export function loadKeys(dataDir: string, mentorKeyFromEnv?: string): Keys {
  fs.mkdirSync(dataDir, { recursive: true });
  const link = readOrCreate(path.join(dataDir, 'link.key'), () => crypto.randomBytes(32).toString('base64url'));
  const linkKey = Buffer.from(link.value, 'base64url');
  if (linkKey.length !== 32) throw new Error(`${path.join(dataDir, 'link.key')} is not a 32-byte base64url key`);
  if (mentorKeyFromEnv) return { mentorKey: mentorKeyFromEnv, linkKey, mentorKeyGenerated: false };
  const mentor = readOrCreate(path.join(dataDir, 'mentor.key'), newToken);
  if (mentor.value.length < 16) throw new Error(`${path.join(dataDir, 'mentor.key')} holds a key shorter than 16 characters`);
  return { mentorKey: mentor.value, linkKey, mentorKeyGenerated: mentor.created };
}
