/// <reference types="vite/client" />

/**
 * True only in the browser-test build (`vite build --mode e2e`): test hooks such as
 * `window.__astra` and the worker's crash switch exist only there. Production builds replace it
 * with `false` and drop the code behind it (e2e/bundle-size.test.ts checks that nothing leaks).
 */
declare const __ASTRA_TEST_HOOKS__: boolean;
