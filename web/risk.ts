/**
 * The Risk module, loaded on demand: its state class, its run on the engine pool and its panels
 * in one chunk. main.ts imports it at start-up (the first run needs the market anyway, which takes
 * longer to arrive than this chunk), App.svelte for the panels; both get the same module. The
 * entry chunk keeps only what the KPIs and the book need to paint.
 */
export { RiskState } from './state/risk.svelte.ts';
export { runRisk } from './lib/risk-run.ts';
export { default as RiskPanel } from './components/RiskPanel.svelte';
