/**
 * The Alpha module, loaded on demand: its state class, its runs on the engine pool, the replay's
 * feed (the page's own wasm instance, loaded on the first replay) and its panels, in one chunk.
 * main.ts imports it at start-up (the first run needs the market's bars anyway, which take longer
 * to arrive), App.svelte for the panels; both get the same module.
 */
export { AlphaState } from './state/alpha.svelte.ts';
export { alphaRunners } from './lib/alpha-run.ts';
export { default as AlphaPanel } from './components/AlphaPanel.svelte';
