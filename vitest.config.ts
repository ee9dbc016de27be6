import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/integration/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One file at a time: load tests measure latency on 2 shared cores, and two of them at once
    // measure each other. (About 18 min serially; unit files take seconds.)
    fileParallelism: false,
  },
});
