import { defineConfig } from 'vitest/config';

// Test files run one at a time: several use the real compiler (~0.5 GB and a core each) and
// assert time limits, and the end-to-end test drives Chromium against a real server. On two
// cores, files running side by side starve each other into false timeouts.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
