/// <reference types="vite/client" />
/**
 * A browser engine worker: one wasm instance and the production task table (`engine/pool/tasks`),
 * run one block at a time for the pool (`./pool.ts`). The inside is shared with the Node workers
 * (`engine/pool/worker-core.ts`); only the wasm source differs: here it is fetched by URL.
 *
 * `Comlink.expose` runs synchronously at module evaluation and the wasm loads as a promise each
 * call awaits: a top-level `await` before `expose` has been seen to lose the first message.
 */
import * as Comlink from 'comlink';
import wasmUrl from '../../build/astra.wasm?url';
import { Kernels } from '../../engine/kernels.ts';
import type { TaskRegistry } from '../../engine/pool/protocol.ts';
import { tasks } from '../../engine/pool/tasks/index.ts';
import { createWorkerApi } from '../../engine/pool/worker-core.ts';

// Browser-test builds only (see web/env.d.ts): the crash switch, a task that answers and then
// throws an uncaught error on the next tick, as a real crash would. Production bundles drop it.
const table: TaskRegistry = __ASTRA_TEST_HOOKS__
  ? {
      ...tasks,
      'test.crash': () => {
        setTimeout(() => {
          throw new Error('ASTRA test hook: simulated engine worker crash');
        }, 0);
      },
    }
  : tasks;

Comlink.expose(createWorkerApi(() => Kernels.load(fetch(wasmUrl)), table));
