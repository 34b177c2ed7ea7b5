/** Create engine worker number `index` (an ES module worker; vite bundles it as a separate chunk). */
export function spawnEngineWorker(index = 0): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: `astra-engine-${index}` });
}
