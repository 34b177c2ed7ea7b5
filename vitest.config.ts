import { defineConfig } from 'vitest/config';

// Unit tests: engine, CLI, proxy, and the e2e plumbing's pure parts (*.unit.test.ts). Browser tests
// live in e2e/ with their own config.
export default defineConfig({
  test: {
    include: [
      'engine/**/*.test.ts',
      'cli/**/*.test.ts',
      'proxy/**/*.test.ts',
      'bench/**/*.test.ts',
      'web/**/*.test.ts',
      'e2e/**/*.unit.test.ts',
    ],
    environment: 'node',
    testTimeout: 30_000,
  },
});
