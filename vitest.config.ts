import { defineConfig } from 'vitest/config';

// Two projects. `unit` needs neither Jupyter nor a kernel (fakes only; some tests run the built
// CLI for commands that start no server): `npm run test:unit`. `integration` (test/integration,
// test/e2e) starts real Jupyter servers and kernels (≈1 CPU-second each on 2 cores): files in
// parallel kept low, timeouts generous, and its global set-up fails the run when Jupyter is
// missing (a test never silently skips). `npm test` runs both.
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
