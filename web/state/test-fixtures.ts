/** Fixtures for the state-class tests: the demo book's market snapshot, written out by hand. */
import { HAND_DEMO_BOOK } from '../../engine/test-fixtures.ts';
import type { MarketSnapshot, PriceTable } from '../workers/protocol.ts';

/** A market snapshot of the hand-written demo book (equity 1,000,000, RFR 3.6%), with `prices` if given. */
export function demoSnapshot(prices: PriceTable = { dates: [], tickers: [], closes: [] }): MarketSnapshot {
  return {
    source: 'demo',
    label: 'demo data (synthetic)',
    asOf: '2026-11-20',
    tickers: HAND_DEMO_BOOK.map((p) => p.ticker),
    lastPrices: Object.fromEntries(HAND_DEMO_BOOK.map((p) => [p.ticker, p.price])),
    book: HAND_DEMO_BOOK.map((p) => ({ ...p })),
    equity: 1_000_000,
    rfr: 0.036,
    irx: null,
    returns: { dates: [], tickers: [], values: [] },
    prices,
    bars: null,
    pair: null,
    report: { tables: [], dropped: [], flags: [], notes: [] },
    timings: { readyMs: 0, generateMs: 0 },
  };
}
