/**
 * The Inventory module, loaded on demand: its state class, its runs on the engine pool and its
 * panels in one chunk (main.ts creates the state once the Risk module, whose limit and status it
 * reads, is there; App.svelte mounts the panel below Risk). The entry chunk does not grow.
 */
export { InventoryState } from './state/inventory.svelte.ts';
export { prepareInventory, stepInventory } from './lib/inventory-run.ts';
export { default as InventoryPanel } from './components/InventoryPanel.svelte';
