/**
 * The chart panels, as one module that App.svelte imports on demand: they and their pure helpers
 * (book path, palette, range arithmetic) stay out of the entry chunk, like lightweight-charts
 * itself, so the KPIs and the book paint first and the entry keeps room under its budget.
 */
export { default as BookChart } from './BookChart.svelte';
export { default as ReturnsChart } from './ReturnsChart.svelte';
