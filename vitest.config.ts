import { defineConfig } from 'vitest/config';

// The real compiler takes ~1.6 s to load and ~0.5 GB per instance; two cores.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
