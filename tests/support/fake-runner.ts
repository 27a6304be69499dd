// One fake runner for tests and benches that do not compile C: every method of the real Runner
// interface, typed; what a test does not provide fails loudly (a call it did not expect is a bug
// in the test, never a made-up result).
import type { Runner } from '../../server/src/runner/index.ts';

export function fakeRunner(overrides: Partial<Runner> = {}, what = 'this test has no runner'): Runner {
  const refuse = () => Promise.reject(new Error(what));
  return {
    limits: undefined as never, // nothing outside the runner reads them
    ready: async () => {},
    run: refuse,
    runFiles: refuse,
    grade: refuse,
    pending: () => 0,
    isFull: () => false,
    close: async () => {},
    ...overrides,
  };
}
