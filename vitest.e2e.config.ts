import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: they serve the built app and drive Debian's Chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
