/**
 * Expected returns for the optimizer (docs/conventions.md, "Optimizer"): annual, from the market
 * statistics' daily means (252 × the sample mean of daily log returns), zero, or the user's views.
 */
import { AstraError, Messages } from '../errors.ts';
import { TRADING_DAYS_PER_YEAR } from '../units.ts';
import type { ExpectedReturnsFn } from './types.ts';

/**
 * Annual expected returns in `tickers` order.
 * @param meanDaily n daily mean log returns (NaN passes through to the result, and the problem then refuses it).
 * @throws AstraError `UNKNOWN_TICKER` for a view on a ticker outside `tickers`, `BAD_INPUT` for a non-finite view.
 */
export const expectedReturns: ExpectedReturnsFn = (tickers, meanDaily, source) => {
  const n = tickers.length;
  const out = new Float64Array(n);
  if (source.kind === 'zero') return out;
  const historical = source.kind === 'historical' || (source.fallback ?? 'historical') === 'historical';
  if (historical) for (let i = 0; i < n; i++) out[i] = TRADING_DAYS_PER_YEAR * meanDaily[i];
  if (source.kind === 'views') {
    const index = new Map(tickers.map((t, i) => [t, i]));
    for (const [t, r] of Object.entries(source.views)) {
      const i = index.get(t);
      if (i === undefined) throw new AstraError('UNKNOWN_TICKER', Messages.unknownConstraintTicker('the views', t, tickers), { ticker: t });
      if (typeof r !== 'number' || !Number.isFinite(r)) throw new AstraError('BAD_INPUT', Messages.badValue(`the view on ${t}`, r, 'a finite annual return (0.08 = 8%)'), { ticker: t });
      out[i] = r;
    }
  }
  return out;
};
