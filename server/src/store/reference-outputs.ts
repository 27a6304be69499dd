// Expected outputs of the exercises' reference solutions, stored by content key (runner/core/grade.ts
// computes the key and the outputs) so that every node and every restart reuses them instead of
// compiling and running each reference again at start. What is read back is checked whole: a
// damaged row is never trusted, only reported absent, so that the runner computes it anew.
import { z } from 'zod';
import type { ReferenceOutput, Store } from './types.ts';

const referenceOutputsSchema = z
  .array(
    z.strictObject({
      stdout: z.string(),
      exitCode: z.number().int(),
      ms: z.number().finite().nonnegative(),
      fuel: z.number().int().nonnegative(),
    }),
  )
  .min(1);

/** The outputs held in a stored payload, or undefined when it is not JSON of exactly that shape. */
export function parseReferenceOutputs(payload: string): ReferenceOutput[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const parsed = referenceOutputsSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The payload to store; throws on outputs that no reader would accept. */
export function referenceOutputsPayload(outputs: ReferenceOutput[]): string {
  return JSON.stringify(referenceOutputsSchema.parse(outputs));
}

/** The runner's port for stored expected outputs (`references` in createRunner's options), on a Store. */
export function storedReferences(store: Store, now: () => number = Date.now) {
  return {
    load: (key: string) => store.getReferenceOutputs(key),
    save: async (key: string, slug: string, outputs: ReferenceOutput[]) => {
      await store.putReferenceOutputs(key, slug, outputs, now());
    },
  };
}
