/**
 * The memory layout shared with assembly/pairs/kalman.ts: slots of the state block and of a trade
 * record, in f64. The sizes are checked against the module's `pairLayout` at first use
 * ({@link checkLayout}); the slot numbers by a test that reads the AssemblyScript source.
 */
import { AstraError, Messages } from '../errors.ts';
import type { Kernels } from '../kernels.ts';

/** State block slots the host reads or writes (names as in the kernel, without `S_`). */
export const S = {
  BETA: 0,
  ALPHA: 1,
  P00: 2,
  P01: 3,
  P11: 4,
  POS: 7,
  EQ: 12,
  EQ_NET: 13,
  BAR: 18,
  N: 23,
  SUM: 24,
  SUM2: 25,
  SUM_NET: 26,
  SUM2_NET: 27,
  MDD: 29,
  MDD_NET: 31,
  TURNOVER: 32,
  TRADES: 33,
  WINS: 34,
  WINS_NET: 35,
  BLOCKED: 36,
  OUT_SPREAD: 37,
  OUT_Q: 38,
  OUT_Z: 39,
  OUT_PNL: 40,
  OUT_COST: 41,
  OUT_BLOCKED: 42,
  OUT_CLOSED: 43,
  TRADE: 44,
  HALT_FROM: 55,
  LL: 57,
  OBS: 58,
} as const;
export const STATE_SIZE = 64;

/** A trade record's fields. */
export const T = {
  SIDE: 0,
  ENTRY_BAR: 1,
  EXIT_BAR: 2,
  BETA: 3,
  Z_ENTRY: 4,
  Z_EXIT: 5,
  PNL: 6,
  COSTS: 7,
  REASON: 8,
} as const;
export const TRADE_FIELDS = 9;

/** Exit reasons by the kernel's code. */
export const REASONS = ['signal', 'session-end', 'flip', 'end-of-data'] as const;

/** `pairRun`'s lastFlags. */
export const LAST_ENDS_SESSION = 1;
export const LAST_ENDS_DATA = 2;

const checked = new WeakSet<Kernels>();

/** Throws `WASM_LOAD` when the module's pairs layout is not this file's (a stale build). */
export function checkLayout(k: Kernels): void {
  if (checked.has(k)) return;
  const sizes: [string, number, number][] = [
    ['pairs state block', k.exports.pairLayout(0), STATE_SIZE],
    ['pairs trade record', k.exports.pairLayout(1), TRADE_FIELDS],
  ];
  for (const [name, inModule, here] of sizes) {
    if (inModule !== here) throw new AstraError('WASM_LOAD', Messages.wasmLoad(Messages.pairsLayout(name, inModule, here)));
  }
  checked.add(k);
}
