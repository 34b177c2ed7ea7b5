/** A stand-in for the Risk module in the Inventory state's tests: a reactive limit and status. */
import type { RiskLink } from './inventory.svelte.ts';

export class FakeRiskLink implements RiskLink {
  settings = $state.raw<{ limit: number }>({ limit: 150_000 });
  status = $state<'OK' | 'HALTED' | null>(null);
}
