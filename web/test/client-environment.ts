/**
 * A Vitest environment for the state classes: Node, with modules transformed by Vite's client
 * environment, so `*.svelte.ts` files are compiled as the browser runs them (effects, `flushSync`)
 * and `svelte` resolves to its client runtime. No DOM: the state classes need none.
 */
import type { Environment } from 'vitest/environments';

export default {
  name: 'svelte-client',
  viteEnvironment: 'client',
  setup() {
    return { teardown() {} };
  },
} satisfies Environment;
