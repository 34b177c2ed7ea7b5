/**
 * Entry of a Node engine worker (a `worker_threads` thread started by `node.ts` through the
 * `node-worker.mjs` bootstrap): the production task table, plus the modules named in
 * `workerData.taskModules` (tests add crash and hang tasks this way), over its own wasm instance.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { loadKernels } from '../node.ts';
import type { TaskRegistry } from './protocol.ts';
import { tasks } from './tasks/index.ts';
import { createWorkerApi } from './worker-core.ts';

if (!parentPort) throw new Error('engine/pool/node-worker.ts must run in a worker thread');

const modules: string[] = (workerData as { taskModules?: string[] } | undefined)?.taskModules ?? [];
const table: Promise<TaskRegistry> = Promise.all(modules.map((m) => import(m) as Promise<{ tasks: TaskRegistry }>)).then((extra) => {
  const all: TaskRegistry = { ...tasks };
  for (const mod of extra) {
    for (const [name, fn] of Object.entries(mod.tasks)) {
      if (Object.hasOwn(all, name)) throw new Error(`task module redefines the engine task '${name}'`);
      all[name] = fn;
    }
  }
  return all;
});

// Synchronously, before any await (see worker-core.ts).
Comlink.expose(createWorkerApi(() => loadKernels(), table), nodeEndpoint(parentPort));
