// The part of the Store contract about similarity fingerprints: one row per session, replaced on a
// second write, listed by exercise, gone with the session, validated on the way in and out.
import { expect, it } from 'vitest';
import { FINGERPRINT_VERSION } from '../../server/src/similarity/version.ts';
import type { FingerprintRecord, Store } from '../../server/src/store/types.ts';
import type { StoreFactory } from './store-contract-atomic.ts';
import { session, tokens } from './store-fixtures.ts';

const record = (sessionId: string, slug: string, createdAt = 5): FingerprintRecord => ({
  sessionId,
  slug,
  prints: [
    { hash: 0, startLine: 1, endLine: 2 },
    { hash: 0xffff_ffff, startLine: 3, endLine: 3 },
    { hash: 12345, startLine: 40, endLine: 44 },
  ],
  createdAt,
});

async function create(store: Store, id: string): Promise<void> {
  await store.createSession(session(id), tokens(id), new Uint8Array([0]));
}

export function registerFingerprintTests(factory: StoreFactory, current: () => Store): void {
  it('keeps fingerprints per session, listed by exercise, a second write replacing the first', async () => {
    const store = current();
    for (const id of ['f1', 'f2', 'f3']) await create(store, id);
    expect(await store.listFingerprints('ring-buffer')).toEqual([]);
    await store.putFingerprints(record('f2', 'ring-buffer'));
    await store.putFingerprints(record('f1', 'ring-buffer'));
    await store.putFingerprints(record('f3', 'lru-cache'));
    expect(await store.listFingerprints('ring-buffer')).toEqual([record('f1', 'ring-buffer'), record('f2', 'ring-buffer')]);
    const replaced = { ...record('f1', 'ring-buffer', 9), prints: [{ hash: 7, startLine: 2, endLine: 9 }] };
    await store.putFingerprints(replaced);
    expect(await store.listFingerprints('ring-buffer')).toEqual([replaced, record('f2', 'ring-buffer')]);
    expect(await store.listFingerprints('lru-cache')).toEqual([record('f3', 'lru-cache')]);
    expect(await store.deleteSession('f2')).toBe(true);
    expect(await store.listFingerprints('ring-buffer')).toEqual([replaced]);
  });

  it('refuses fingerprints that would not validate, and of a session that does not exist', async () => {
    const store = current();
    await create(store, 'fv');
    const bad = [
      { hash: -1, startLine: 1, endLine: 1 },
      { hash: 2 ** 32, startLine: 1, endLine: 1 },
      { hash: 1.5, startLine: 1, endLine: 1 },
      { hash: 1, startLine: 0, endLine: 1 },
    ];
    for (const print of bad) await expect(store.putFingerprints({ ...record('fv', 'x'), prints: [print] })).rejects.toThrow();
    await expect(store.putFingerprints(record('gone', 'x'))).rejects.toThrow();
    expect(await store.listFingerprints('x')).toEqual([]);
  });

  it('leaves a damaged fingerprint row out of the list', async () => {
    const store = current();
    await create(store, 'fd');
    await create(store, 'fok');
    await store.putFingerprints(record('fok', 'damaged'));
    await factory.writeFingerprintRow(store, 'fd', 'damaged', '{"v":2,"p":[[1,1]]}');
    expect(await store.listFingerprints('damaged')).toEqual([record('fok', 'damaged')]);
  });

  it('leaves out a row written by another version of the fingerprinting (it is computed anew)', async () => {
    const store = current();
    for (const id of ['fold', 'ffut', 'fnew']) await create(store, id);
    await store.putFingerprints(record('fnew', 'versions'));
    // Version 1 stored the bare list; a future version is no better.
    await factory.writeFingerprintRow(store, 'fold', 'versions', '[[1,1,2],[5,3,3]]');
    expect(await store.listFingerprints('versions')).toEqual([record('fnew', 'versions')]);
    await factory.writeFingerprintRow(store, 'ffut', 'versions', `{"v":${FINGERPRINT_VERSION + 1},"p":[[1,1,2]]}`);
    expect(await store.listFingerprints('versions')).toEqual([record('fnew', 'versions')]);
  });
}
