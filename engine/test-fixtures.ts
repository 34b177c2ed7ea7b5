/**
 * Test fixtures written out by hand from the desk's position table (not imported from demo.ts),
 * so tests of the book and funding maths check the code against an independent copy.
 */
import type { Position } from './types.ts';

/** The demo book, equity $1,000,000. */
export const HAND_DEMO_BOOK: readonly Position[] = [
  { ticker: 'AAPL', shares: 1500, price: 277.02 },
  { ticker: 'MSFT', shares: 1000, price: 416.0 },
  { ticker: 'JPM', shares: -1200, price: 318.22 },
  { ticker: 'GS', shares: -500, price: 914.14 },
  { ticker: 'MS', shares: -1000, price: 180.74 },
];
