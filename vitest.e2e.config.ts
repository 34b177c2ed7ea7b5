import { configDefaults, defineConfig } from 'vitest/config';

// Browser end-to-end tests: they serve the built app and drive Chromium (which one: e2e/chromium.ts).
// e2e/*.unit.test.ts need no browser and run with the unit tests instead.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    exclude: [...configDefaults.exclude, 'e2e/**/*.unit.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
