import { defineConfig } from 'vitest/config';

/** Unit tests only: no stack, no network. */
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
});
