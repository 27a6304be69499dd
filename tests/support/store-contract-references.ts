// The part of the Store contract about stored reference outputs: read back exactly, written only
// where absent (two nodes preparing one exercise at once store it once), and a damaged row is
// never trusted: reported absent and replaced by the next write.
import { expect, it } from 'vitest';
import type { ReferenceOutput, Store } from '../../server/src/store/types.ts';
import type { StoreFactory } from './store-contract-atomic.ts';

const outputs: ReferenceOutput[] = [
  { stdout: 'sum = 6\n', exitCode: 0, ms: 1.25, fuel: 123_456_789_012 },
  { stdout: '', exitCode: 3, ms: 0, fuel: 0 },
  { stdout: 'é\u0000\n"quoted"', exitCode: -1, ms: 40, fuel: 7 },
];
const others: ReferenceOutput[] = [{ stdout: 'other\n', exitCode: 0, ms: 2, fuel: 9 }];

export function registerReferenceOutputTests(factory: StoreFactory, current: () => Store, track: (s: Store) => Store): void {
  it('keeps reference outputs by key: read back exactly, written only when the key has none', async () => {
    const store = current();
    expect(await store.getReferenceOutputs('k1')).toBeUndefined();
    expect(await store.putReferenceOutputs('k1', 'sum-array', outputs, 1000)).toBe(true);
    expect(await store.getReferenceOutputs('k1')).toEqual(outputs);
    expect(await store.putReferenceOutputs('k1', 'sum-array', others, 2000)).toBe(false);
    expect(await store.getReferenceOutputs('k1')).toEqual(outputs);
    expect(await store.putReferenceOutputs('k2', 'sum-array', others, 2000)).toBe(true);
    expect(await store.getReferenceOutputs('k2')).toEqual(others);
    expect(await store.getReferenceOutputs('k3')).toBeUndefined();
  });

  it('refuses to store reference outputs that would not validate', async () => {
    const store = current();
    const bad = [[], [{ ...others[0]!, ms: -1 }], [{ ...others[0]!, fuel: 1.5 }], [{ ...others[0], extra: true }], [{ stdout: 'x', exitCode: 0, ms: 1 }]];
    for (const b of bad) await expect(store.putReferenceOutputs('bad', 'x', b as ReferenceOutput[], 1)).rejects.toThrow();
    expect(await store.getReferenceOutputs('bad')).toBeUndefined();
  });

  it('ignores a damaged reference outputs row, and the outputs computed anew replace it', async () => {
    const store = current();
    const damaged = [
      '{"cut',
      'null',
      '[]',
      '[{"stdout":1,"exitCode":0,"ms":1,"fuel":1}]',
      '[{"stdout":"","exitCode":0,"ms":1,"fuel":-5}]',
      `[${JSON.stringify({ ...others[0], more: 1 })}]`,
    ];
    for (const [n, payload] of damaged.entries()) {
      const key = `damaged-${n}`;
      await factory.writeReferenceRow(store, key, payload);
      expect(await store.getReferenceOutputs(key), payload).toBeUndefined();
      expect(await store.putReferenceOutputs(key, 'sum-array', outputs, 3000)).toBe(true);
      expect(await store.getReferenceOutputs(key)).toEqual(outputs);
    }
  });

  it('several writers: two nodes storing the same reference outputs at once write them once', async () => {
    const store = current();
    const node2 = factory.sibling ? track(await factory.sibling(store)) : store;
    const written = await Promise.all([store.putReferenceOutputs('race', 'sum-array', outputs, 1), node2.putReferenceOutputs('race', 'sum-array', others, 2)]);
    expect(written.filter(Boolean)).toHaveLength(1);
    expect(await node2.getReferenceOutputs('race')).toEqual(written[0] ? outputs : others);
  });
}
