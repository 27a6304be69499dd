// Stored similarity fingerprints (server/src/similarity), one row per ended session, written when
// the final submission is graded so that the comparison board does not tokenize hundreds of files
// on open. Stored compactly as JSON {"v": version, "p": [[hash, startLine, endLine], ...]}; what
// is read back is checked whole, and a damaged row or one of another version (computed by an older
// fingerprinting) is skipped: the board fingerprints that session's code anew.
import { z } from 'zod';
import { FINGERPRINT_VERSION } from '../similarity/version.ts';
import type { FingerprintRecord, StoredFingerprint } from './types.ts';

const line = z.number().int().min(1);
const printsSchema = z.array(z.tuple([z.number().int().min(0).max(0xffff_ffff), line, line]));
const payloadSchema = z.strictObject({ v: z.literal(FINGERPRINT_VERSION), p: printsSchema });

/** The fingerprints held in a stored payload, or undefined when it is not exactly that shape. */
export function parseFingerprints(payload: string): StoredFingerprint[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = payloadSchema.safeParse(data);
  if (!parsed.success) return undefined;
  return parsed.data.p.map(([hash, startLine, endLine]) => ({ hash, startLine, endLine }));
}

/** The payload to store; throws on fingerprints that no reader would accept. */
export function fingerprintsPayload(prints: readonly StoredFingerprint[]): string {
  return JSON.stringify(payloadSchema.parse({ v: FINGERPRINT_VERSION, p: prints.map((p) => [p.hash, p.startLine, p.endLine]) }));
}

/** Rows as read from a table, damaged payloads left out. */
export function fingerprintRows(slug: string, rows: { session_id: string; payload: string; created_at: string | number }[]): FingerprintRecord[] {
  const records: FingerprintRecord[] = [];
  for (const row of rows) {
    const prints = parseFingerprints(row.payload);
    if (prints) records.push({ sessionId: row.session_id, slug, prints, createdAt: Number(row.created_at) });
  }
  return records;
}
