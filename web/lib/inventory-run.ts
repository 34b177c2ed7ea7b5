/**
 * The Inventory module's runs on the engine pool: `inventory.prepare` (the market statistics, once
 * per price table) and `inventory.step` (one solve with its frontier, comparison and rebalance).
 * Each is one block, re-run once on a new worker if its worker crashed (both are deterministic).
 */
import type { Pool } from '../../engine/pool/pool.ts';
import type { EngineTasks } from '../../engine/pool/tasks/index.ts';
import type { RunContext } from '../state/computation.svelte.ts';
import type { InventoryMarket, InventoryPrepareArg, InventoryStep, InventoryStepArg } from '../workers/protocol.ts';

/** What the pool's errors call these runs ("Inventory did not finish within 20 s…"). */
export const INVENTORY_TASK_LABEL = 'Inventory';

/** The market statistics on the pool. */
export function prepareInventory(pool: Pool<EngineTasks>, arg: InventoryPrepareArg, ctx: RunContext): Promise<InventoryMarket> {
  return pool.run({ task: 'inventory.prepare', arg, label: INVENTORY_TASK_LABEL, signal: ctx.signal, retries: 1 });
}

/** One step on the pool. */
export function stepInventory(pool: Pool<EngineTasks>, arg: InventoryStepArg, ctx: RunContext): Promise<InventoryStep> {
  return pool.run({ task: 'inventory.step', arg, label: INVENTORY_TASK_LABEL, signal: ctx.signal, retries: 1 });
}
