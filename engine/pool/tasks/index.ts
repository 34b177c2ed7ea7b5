/**
 * The production task table: every task an engine worker can run, by name. Both worker entries
 * (browser and Node) serve exactly this table; tests add their own tasks (crashes, hangs) through
 * the Node pool's `taskModules`, never here. Add a task here when a feature needs one.
 */
import type { Kernels } from '../../kernels.ts';
import type { TaskRegistry } from '../protocol.ts';
import { demoBeta } from './alpha.ts';
import { loadDemo, loadMarket, readBook } from './market.ts';
import { normalsMoments } from './normals.ts';
import { mcBlock, prepare } from './risk.ts';
import { frontierTask, solveTask } from './portfolio.ts';
import { inventoryPrepare, inventoryStep } from './inventory.ts';
import { pairsDemo, pairsRun } from './pairs.ts';
import { scanBlockTask } from './scan.ts';

/** Resolves once the worker's wasm is ready: a health check (the app pings a restarted worker). */
function ready(_k: Kernels, _arg: undefined): 'ready' {
  return 'ready';
}

export const tasks = {
  'engine.ready': ready,
  'market.demo': loadDemo,
  'market.load': loadMarket,
  'csv.book': readBook,
  'normals.moments': normalsMoments,
  'risk.prepare': prepare,
  'risk.mcBlock': mcBlock,
  'portfolio.solve': solveTask,
  'portfolio.frontier': frontierTask,
  'inventory.prepare': inventoryPrepare,
  'inventory.step': inventoryStep,
  'pairs.demo': pairsDemo,
  'pairs.run': pairsRun,
  'pairs.scanBlock': scanBlockTask,
  'alpha.truth': demoBeta,
} satisfies TaskRegistry;

/** The type of the production table: `Pool<EngineTasks>` types `run`'s task names, arguments and results. */
export type EngineTasks = typeof tasks;
