import { defineConfig } from 'vitest/config';

// Integration tests start real Jupyter kernels (≈1 CPU-second each on 2 cores): keep files
// in parallel low and timeouts generous; unit tests are fast regardless.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
