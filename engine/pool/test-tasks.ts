/**
 * TEST-ONLY engine tasks: ways for a worker to die or hang. Never imported by production code;
 * the Node pool's tests load them into their workers with
 * `createNodePool({ taskModules: [new URL('./test-tasks.ts', import.meta.url)] })`, and a test
 * checks that none of them is in the production table (`tasks/index.ts`).
 */
import type { Kernels } from '../kernels.ts';
import type { TaskRegistry } from './protocol.ts';

export const tasks = {
  /** End the worker thread at once with exit code `code`. */
  'test.exit': (_k: Kernels, code: number): never => process.exit(code),
  /** Throw an uncaught error on the next tick (an asynchronous crash); never answers. */
  'test.throwLater': (_k: Kernels, message: string): Promise<never> => {
    setTimeout(() => {
      throw new Error(message);
    }, 0);
    return new Promise<never>(() => undefined);
  },
  /** Busy-loop for `ms` (`Infinity`: for ever, like a kernel stuck in a loop), then answer `ms`. */
  'test.spin': (_k: Kernels, ms: number): number => {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      /* spin */
    }
    return ms;
  },
  /** Answer `value` after `ms` without blocking the thread. */
  'test.sleep': async (_k: Kernels, arg: { ms: number; value: number }): Promise<number> => {
    await new Promise((r) => setTimeout(r, arg.ms));
    return arg.value;
  },
} satisfies TaskRegistry;

export type TestTasks = typeof tasks;
