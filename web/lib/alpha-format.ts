/**
 * How the Alpha module writes its figures that need more than a number: the Sharpe ratio (never
 * bare: always with its standard error, and marked when it rests on fewer than 30 round trips),
 * its annualisation, and δ and Vₑ (scientific: they span ten decades). Pure, on the app's
 * formatting standard (`Format`).
 */
import type { Format } from './format.ts';

/** The mark beside a Sharpe from too few round trips; the panel explains it once below the figures. */
export const SMALL_SAMPLE_MARK = '†';

/** A Sharpe ratio as shown: the figure, its standard error, and whether it carries the mark. */
export interface SharpeText {
  /** `1.42 ± 0.61` (`—` when the Sharpe is undefined: no variation in the bar returns). */
  text: string;
  /** The mark when the sample is small, else empty. */
  mark: string;
  /** Words for screen readers and the tooltip. */
  title: string;
}

/**
 * The Sharpe `sharpe` with its standard error `se` (both annualised), from `roundTrips` closed
 * round trips; `small` is the engine's small-sample flag (fewer than 30 round trips).
 */
export function sharpeText(sharpe: number, se: number, roundTrips: number, small: boolean, f: Format): SharpeText {
  const trips = `${f.count(roundTrips)} round trip${roundTrips === 1 ? '' : 's'}`;
  if (!Number.isFinite(sharpe)) {
    return { text: '—', mark: small ? SMALL_SAMPLE_MARK : '', title: `Sharpe undefined: the bar returns do not vary (${trips})` };
  }
  const text = `${f.num(sharpe, 2)} ± ${f.num(se, 2)}`;
  const title = `Sharpe ${f.num(sharpe, 2)}, standard error ${f.num(se, 2)}, from ${trips}` + (small ? ': too few to mean much' : '');
  return { text, mark: small ? SMALL_SAMPLE_MARK : '', title };
}

/** The small-sample note under the figures, or `null` when the sample is not small. */
export function smallSampleNote(roundTrips: number, small: boolean, threshold: number, f: Format): string | null {
  if (!small) return null;
  return (
    `${SMALL_SAMPLE_MARK} ${f.count(roundTrips)} round trip${roundTrips === 1 ? '' : 's'}, fewer than ${threshold}: ` +
    'too few for the Sharpe ratio to mean much. Read it with its standard error (±, Lo 2002): ' +
    'a 95% interval is about ± 2 of them.'
  );
}

/**
 * How the Sharpe is annualised: `per-bar Sharpe × √98,280 (252 days × 390 one-minute bars) ≈ × 313.5`.
 */
export function annualisationText(barsPerYear: number, factor: number, days: number, barsPerDay: number, f: Format): string {
  return `annualised: per-bar Sharpe × √${f.count(barsPerYear)} (${days} days × ${barsPerDay} one-minute bars) ≈ × ${f.num(factor, 1)}`;
}

/**
 * δ or Vₑ: three significant digits in scientific notation (`7.21e-8`), the sign by the format's
 * rule; `—` when missing.
 */
export function sci(v: number, f: Format): string {
  if (!Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const [mantissa, exponent] = Math.abs(v).toExponential(2).split('e');
  const body = `${mantissa}e${Number(exponent)}`;
  return v < 0 ? f.num(-1, 0).replace('1', body) : body;
}

/** A multiple of the replay's speed: `1×`, `1,000×`. */
export function speedText(speed: number, f: Format): string {
  return `${f.count(speed)}×`;
}

/** A p-value: three decimals, or scientific below 0.001 (the scan's best pairs reach 1e-20). */
export function pValueText(p: number, f: Format): string {
  if (!Number.isFinite(p)) return '—';
  return p > 0 && p < 0.001 ? sci(p, f) : f.num(p, 3);
}

/** A half-life in bars: one decimal, `∞` when the spread does not revert. */
export function halfLifeText(bars: number, f: Format): string {
  return bars === Infinity ? '∞' : f.num(bars, 1);
}

/** A return as basis points with two decimals (`0.04`): a trade's P&L on its gross notional. */
export function bpText(r: number, f: Format): string {
  return f.num(r * 1e4, 2);
}
