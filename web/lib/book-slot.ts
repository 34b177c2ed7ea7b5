/**
 * How the book module's inputs are stored: the user's book (or `null` while it is the untouched
 * demo book), the funding inputs, and a revision that lets a tab see whether another tab saved
 * since it last looked. Validated field by field on the way back in: a bad position is dropped, a
 * bad equity or spread falls back to its default, each with a warning naming it; the book that
 * remains is checked by the engine.
 */
import { checkBook } from './book-edit.ts';
import type { CheckedBook, FundingInputs } from './book-edit.ts';
import { BPS_RULE, EQUITY_RULE, PRICE_RULE, RFR_PERCENT_RULE, SHARES_RULE, type FieldRule } from './input-rules.ts';
import { isRecord, type Slot } from './storage.ts';
import { DEFAULT_EQUITY } from '../../engine/book/book.ts';
import {
  DEFAULT_BORROW_BPS,
  DEFAULT_LONG_SPREAD_BPS,
  DEFAULT_SHORT_SPREAD_BPS,
} from '../../engine/book/funding.ts';

/** The stored record. */
export interface StoredBook {
  /** Schema version of this record. */
  version: 1;
  /** Who saved it and when, unique per write (`<tab id>:<counter>`); compared, never parsed. */
  revision: string;
  /** The user's book, or `null` while it is still the untouched demo book. */
  book: CheckedBook['book'] | null;
  /** Funding inputs. */
  funding: FundingInputs;
}

/** What reading the record gives. */
export interface BookRecord {
  /** Revision of the record read (`''` for a record without one). */
  revision: string;
  /** The checked book with its summary, `null` for the demo book. */
  book: CheckedBook | null;
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

const within = (v: unknown, rule: FieldRule): v is number =>
  typeof v === 'number' && v >= rule.min && v <= rule.max && (!rule.integer || Number.isInteger(v));

function readBook(v: unknown, warn: (m: string) => void): CheckedBook | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v) || !Array.isArray(v.positions)) {
    warn('the book is not a list of positions (the demo book is shown)');
    return null;
  }
  const seen = new Set<string>();
  const positions = v.positions.flatMap((p, i) => {
    const ticker = isRecord(p) && typeof p.ticker === 'string' && p.ticker.trim() !== '' ? p.ticker : null;
    const name = ticker ?? `position ${i + 1}`;
    if (!isRecord(p) || ticker === null || !within(p.shares, SHARES_RULE) || !within(p.price, PRICE_RULE)) {
      warn(`${name} was dropped (not a valid {ticker, shares, price})`);
      return [];
    }
    if (seen.has(ticker.toUpperCase())) {
      warn(`a second ${ticker} was dropped`);
      return [];
    }
    seen.add(ticker.toUpperCase());
    return [{ ticker, shares: p.shares as number, price: p.price as number }];
  });
  let equity = v.equity;
  if (!within(equity, EQUITY_RULE)) {
    warn(`equity ${String(equity)} was replaced by ${DEFAULT_EQUITY}`);
    equity = DEFAULT_EQUITY;
  }
  const checked = checkBook({ positions, equity: equity as number });
  if (!checked.ok) {
    warn(`the book was replaced by the demo book (${checked.error})`);
    return null;
  }
  return checked.value;
}

function readFunding(v: unknown, warn: (m: string) => void): FundingInputs {
  const defaults = defaultFunding();
  if (!isRecord(v)) {
    if (v !== undefined) warn('the funding inputs were replaced by the defaults');
    return defaults;
  }
  const out = { ...defaults };
  const { min, max } = RFR_PERCENT_RULE;
  if (v.rfrOverride === null || (typeof v.rfrOverride === 'number' && v.rfrOverride * 100 >= min && v.rfrOverride * 100 <= max)) {
    out.rfrOverride = v.rfrOverride;
  } else {
    warn(`risk-free rate override ${String(v.rfrOverride)} was dropped (the ^IRX rate is used)`);
  }
  for (const field of ['longSpreadBps', 'shortSpreadBps', 'borrowBps'] as const) {
    if (within(v[field], BPS_RULE)) out[field] = v[field];
    else warn(`${field} ${String(v[field])} was replaced by ${defaults[field]}`);
  }
  if (isRecord(v.borrowOverrides)) {
    for (const [ticker, bps] of Object.entries(v.borrowOverrides)) {
      if (within(bps, BPS_RULE)) out.borrowOverrides[ticker] = bps;
      else warn(`the borrow override of ${ticker} (${String(bps)}) was dropped`);
    }
  } else if (v.borrowOverrides !== undefined) {
    warn('the borrow overrides were dropped');
  }
  return out;
}

/** The book module's slot. */
export const BOOK_SLOT: Slot<BookRecord> = {
  key: 'astra.book.v1',
  what: 'the saved book',
  read(data, warn) {
    if (!isRecord(data)) throw new Error('it is not an object');
    if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
    return {
      revision: typeof data.revision === 'string' ? data.revision : '',
      book: readBook(data.book, warn),
      funding: readFunding(data.funding, warn),
    };
  },
};
