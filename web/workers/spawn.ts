/** Create the engine worker (an ES module worker; vite bundles it as a separate chunk). */
export function spawnEngineWorker(): Worker {
  return new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'astra-engine' });
}
