/**
 * The data-source module, loaded on demand: its state class (switching sources, live loading,
 * files, persistence in IndexedDB), the shipped-snapshot and proxy discovery, and its panel, in
 * one chunk. main.ts imports it at start-up to restore the chosen source; App.svelte for the
 * panel. The entry chunk keeps only the badge.
 */
export { DataSourceState } from './state/data-source.svelte.ts';
export { indexedDbStore } from './lib/market-store.ts';
export { advertisedProxy, fetchShipped } from './lib/shipped.ts';
export { default as DataPanel } from './components/DataPanel.svelte';
