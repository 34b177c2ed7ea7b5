import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests: engine, CLI, proxy, and the e2e plumbing's pure parts (*.unit.test.ts). Browser tests
// live in e2e/ with their own config.
export default defineConfig({
  // Compiles the runes of web/state/*.svelte.ts so the state classes are tested as they run.
  plugins: [svelte({ configFile: false })],
  define: { __ASTRA_TEST_HOOKS__: 'false' },
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
