/**
 * Persistence of the user's book, funding inputs and theme in `localStorage`, under a versioned
 * key. Everything read back is validated (the engine checks the book); anything unreadable is set
 * aside under `<key>.corrupt` and reported, and the app falls back to the demo book.
 */
import { MAX_BPS, RFR_PERCENT_RANGE, checkBook } from './book-edit.ts';
import type { Book, FundingInputs } from './book-edit.ts';
import {
  DEFAULT_BORROW_BPS,
  DEFAULT_LONG_SPREAD_BPS,
  DEFAULT_SHORT_SPREAD_BPS,
} from '../../engine/book/funding.ts';

/** Storage key; bump the version when the shape changes (old keys are then ignored). */
export const STORAGE_KEY = 'astra.state.v1';

/** Colour theme. */
export type Theme = 'dark' | 'light';

/** What is persisted. */
export interface PersistedState {
  /** Schema version of this record. */
  version: 1;
  /** The user's book, or `null` while it is still the untouched demo book. */
  book: Book | null;
  /** Funding inputs. */
  funding: FundingInputs;
  /** Colour theme. */
  theme: Theme;
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

/** A fresh state: demo book (loaded from the engine), default funding, dark theme. */
export function defaultState(): PersistedState {
  return { version: 1, book: null, funding: defaultFunding(), theme: 'dark' };
}

/** Result of loading: the state to use and, when storage was unusable, why. */
export interface LoadResult {
  /** State to start from. */
  state: PersistedState;
  /** Message to show when the stored state was rejected (the app then uses the demo book). */
  notice: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isBps = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_BPS;

function readBook(v: unknown): Book | null {
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

/** Parse and validate a stored record; throws an Error naming the first problem. */
export function parseState(raw: string): PersistedState {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    throw new Error('it is not valid JSON');
  }
  if (!isRecord(data)) throw new Error('it is not an object');
  if (data.version !== 1) throw new Error(`unknown version ${String(data.version)}`);
  const theme = data.theme;
  if (theme !== 'dark' && theme !== 'light') throw new Error(`unknown theme ${String(theme)}`);
  return { version: 1, book: readBook(data.book), funding: readFunding(data.funding), theme };
}

/** Load the persisted state, or defaults (with a notice when storage held something unusable). */
export function loadState(storage: Storage | undefined): LoadResult {
  if (!storage) return { state: defaultState(), notice: null };
  let raw: string | null;
  try {
    raw = storage.getItem(STORAGE_KEY);
  } catch {
    return { state: defaultState(), notice: 'Browser storage is unavailable: changes will not survive a reload.' };
  }
  if (raw === null) return { state: defaultState(), notice: null };
  try {
    return { state: parseState(raw), notice: null };
  } catch (e) {
    try {
      storage.setItem(`${STORAGE_KEY}.corrupt`, raw);
      storage.removeItem(STORAGE_KEY);
    } catch {
      // Storage refused the write: the notice below still tells the user what happened.
    }
    const why = e instanceof Error ? e.message : String(e);
    return {
      state: defaultState(),
      notice: `The saved book could not be read (${why}); showing the demo book. The unreadable copy was kept under "${STORAGE_KEY}.corrupt".`,
    };
  }
}

/** Persist; returns an error message when storage refuses (quota, privacy mode), else `null`. */
export function saveState(storage: Storage | undefined, state: PersistedState): string | null {
  if (!storage) return null;
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(state));
    return null;
  } catch (e) {
    return `Could not save to browser storage: ${e instanceof Error ? e.message : String(e)}`;
  }
}
