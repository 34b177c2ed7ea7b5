/**
 * Before the browser tests: build the app once more in `e2e` mode (build/e2e-dist/), the only
 * build with test hooks. The production build (dist/, from `npm run build`) is checked for their
 * absence by bundle-size.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function setup(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), mode: 'e2e', logLevel: 'warn' });
}
