import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Cross-origin isolation: COOP + COEP make the page `crossOriginIsolated`, which the engine needs
 * for SharedArrayBuffer-backed kernels later and which keeps the app honest about third-party
 * resources (there are none: everything is same-origin).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `vite build` makes the production app in dist/. `vite build --mode e2e` makes the browser-test
 * build in build/e2e-dist/, the only one with test hooks (`__ASTRA_TEST_HOOKS__`, web/env.d.ts).
 */
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  // Relative asset URLs so `dist/` works from any base path.
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: mode === 'e2e' ? '../build/e2e-dist' : '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // Keep the wasm kernels a separate, cacheable file that `fetch()` + instantiateStreaming load;
    // everything else follows vite's default inlining rule.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    // Everything the first paint needs in one entry chunk. Left to itself, rolldown cuts the modules
    // the entry shares with the lazy modules (data, Risk, Inventory) into more entry chunks — four
    // in all (Nov 2026): three more requests before the first paint and 1.4 KB more gzip (separate
    // gzip streams, and the import/export glue between them). `$initial` = statically reachable
    // from index.html's entry.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] } } },
  },
  worker: { format: 'es' },
  server: {
    headers: isolationHeaders,
    // web/ imports ../engine and ../build/astra.wasm: allow the whole repository.
    fs: { allow: [repoRoot] },
  },
  preview: { headers: isolationHeaders },
  define: { __ASTRA_TEST_HOOKS__: JSON.stringify(mode === 'e2e') },
}));
