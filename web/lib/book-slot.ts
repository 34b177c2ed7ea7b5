/**
 * How the book module's inputs are stored: the user's book (or `null` while it is the untouched
 * demo book) and the funding inputs, validated on the way back in (the engine checks the book).
 */
import { MAX_BPS, RFR_PERCENT_RANGE, checkBook } from './book-edit.ts';
import type { CheckedBook, FundingInputs } from './book-edit.ts';
import { isRecord, type Slot } from './storage.ts';
import {
  DEFAULT_BORROW_BPS,
  DEFAULT_LONG_SPREAD_BPS,
  DEFAULT_SHORT_SPREAD_BPS,
} from '../../engine/book/funding.ts';

/** The stored record. */
export interface StoredBook {
  /** Schema version of this record. */
  version: 1;
  /** The user's book, or `null` while it is still the untouched demo book. */
  book: CheckedBook['book'] | null;
  /** Funding inputs. */
  funding: FundingInputs;
}

/** Funding inputs before the user changes anything (the engine's defaults, RFR from ^IRX). */
export function defaultFunding(): FundingInputs {
  return {
    rfrOverride: null,
    longSpreadBps: DEFAULT_LONG_SPREAD_BPS,
    shortSpreadBps: DEFAULT_SHORT_SPREAD_BPS,
    borrowBps: DEFAULT_BORROW_BPS,
    borrowOverrides: {},
  };
}

const isBps = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_BPS;

function readBook(v: unknown): CheckedBook | null {
  if (v === null) return null;
  if (!isRecord(v) || !Array.isArray(v.positions)) throw new Error('the book is not a list of positions');
  const positions = v.positions.map((p, i) => {
    if (!isRecord(p) || typeof p.ticker !== 'string' || typeof p.shares !== 'number' || typeof p.price !== 'number') {
      throw new Error(`position ${i + 1} is not {ticker, shares, price}`);
    }
    return { ticker: p.ticker, shares: p.shares, price: p.price };
  });
  if (typeof v.equity !== 'number') throw new Error('equity is not a number');
  const checked = checkBook({ positions, equity: v.equity });
  if (!checked.ok) throw new Error(checked.error);
  return checked.value;
}

function readFunding(v: unknown): FundingInputs {
  if (!isRecord(v)) throw new Error('funding inputs are missing');
  const { rfrOverride, longSpreadBps, shortSpreadBps, borrowBps, borrowOverrides } = v;
  const [lo, hi] = RFR_PERCENT_RANGE;
  if (rfrOverride !== null && !(typeof rfrOverride === 'number' && rfrOverride * 100 >= lo && rfrOverride * 100 <= hi)) {
    throw new Error(`risk-free rate override ${String(rfrOverride)} is out of range`);
  }
  for (const [name, bps] of Object.entries({ longSpreadBps, shortSpreadBps, borrowBps })) {
    if (!isBps(bps)) throw new Error(`${name} ${String(bps)} is not a valid number of basis points`);
  }
  if (!isRecord(borrowOverrides)) throw new Error('borrow overrides are not a ticker → bp map');
  const overrides: Record<string, number> = {};
  for (const [ticker, bps] of Object.entries(borrowOverrides)) {
    if (!isBps(bps)) throw new Error(`borrow override of ${ticker} (${String(bps)}) is not a valid number of basis points`);
    overrides[ticker] = bps;
  }
  return {
    rfrOverride: rfrOverride as number | null,
    longSpreadBps: longSpreadBps as number,
    shortSpreadBps: shortSpreadBps as number,
    borrowBps: borrowBps as number,
    borrowOverrides: overrides,
  };
}

/** The book module's slot; reading it gives the checked book (with its summary) and the funding inputs. */
export const BOOK_SLOT: Slot<{ book: CheckedBook | null; funding: FundingInputs }> = {
  key: 'astra.book.v1',
  what: 'the saved book',
  read(data) {
    if (!isRecord(data)) throw new Error('it is not an object');
    if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
    return { book: readBook(data.book), funding: readFunding(data.funding) };
  },
};
