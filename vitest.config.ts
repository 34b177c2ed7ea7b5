import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Unit tests: engine, CLI, proxy, and the e2e plumbing's pure parts (*.unit.test.ts). Browser tests
// live in e2e/ with their own config.
//
// Two projects. The state classes (web/state/*.svelte.ts) run in `state`, whose environment is
// Node with Vite's *client* module graph (web/test/client-environment.ts): there the Svelte plugin
// compiles their runes as the browser runs them, effects and `flushSync` included. Under the
// default Node environment the plugin compiles for the server, where `$effect` never runs.
const shared = {
  plugins: [svelte({ configFile: false })],
  define: { __ASTRA_TEST_HOOKS__: 'false' },
};

export default defineConfig({
  ...shared,
  test: {
    testTimeout: 30_000,
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          include: [
            'engine/**/*.test.ts',
            'cli/**/*.test.ts',
            'proxy/**/*.test.ts',
            'bench/**/*.test.ts',
            'web/**/*.test.ts',
            'e2e/**/*.unit.test.ts',
          ],
          exclude: ['web/state/**'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        ...shared,
        test: {
          name: 'state',
          include: ['web/state/**/*.test.ts'],
          environment: './web/test/client-environment.ts',
          testTimeout: 30_000,
        },
      },
    ],
  },
});
