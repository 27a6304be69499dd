// Password hashing with argon2id (the `argon2` package: maintained, prebuilt for Node 20), and the
// rules a new password must meet. argon2.verify compares in constant time.
import argon2 from 'argon2';

export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 200;

/** Passwords people pick first; long enough to pass the length rule, so it alone would not stop them. */
const COMMON = new Set([
  '1234567890',
  '12345678910',
  '0123456789',
  '1q2w3e4r5t',
  'qwertyuiop',
  'asdfghjkl;',
  '1qaz2wsx3edc',
  'password12',
  'password123',
  'password1234',
  'passw0rd123',
  'iloveyou12',
  'letmein123',
  'welcome123',
  'administrator',
  'changeme123',
  'qwerty1234',
  'qwerty12345',
  'abcdefghij',
  'abc1234567',
  'aaaaaaaaaa',
  'football123',
  'baseball123',
  'superman123',
  'princess123',
  'sunshine123',
  'trustno1234',
  'monkey12345',
  'dragon12345',
  'master12345',
  'interview1',
  'interview123',
  'mentor1234',
  'mentor12345',
  'p@ssw0rd123',
]);

/** Why this password may not be used, or null when it may. */
export function passwordProblem(password: string): string | null {
  const chars = [...password].length;
  if (chars < MIN_PASSWORD_CHARS) return `The password must be at least ${MIN_PASSWORD_CHARS} characters.`;
  if (chars > MAX_PASSWORD_CHARS) return `The password must be at most ${MAX_PASSWORD_CHARS} characters.`;
  if (COMMON.has(password.toLowerCase()) || new Set(password).size <= 2) return 'That password is too common; choose another.';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** A hash of no one's password: verified against when the email is unknown, so that both take as long. */
let decoy: Promise<string> | undefined;

/** Whether `password` matches `hash`; without a hash, spends the same time and answers false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  decoy ??= hashPassword('decoy password, never used');
  try {
    if (hash === undefined) {
      await argon2.verify(await decoy, password);
      return false;
    }
    return await argon2.verify(hash, password);
  } catch {
    return false; // a damaged hash matches nothing
  }
}
