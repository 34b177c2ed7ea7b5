#!/usr/bin/python3
"""Golden values for ASTRA's market statistics (engine/market: returns, covariance estimators).

An independent numpy/pandas implementation of the conventions in docs/conventions.md ("Returns and
covariance"), run on a seeded synthetic price table with gaps. It writes
engine/market/fixtures/stats-golden.json: the prices as CSV text plus, for each case (lookback,
tickers, estimator), the expected tickers, window, mean, covariance, vols, shrinkage and what was
left out. The TypeScript tests compare with it to 1e-10 relative and never need Python.

Run with Debian's numpy/pandas/scikit-learn (apt-get install python3-numpy python3-pandas
python3-sklearn):

    /usr/bin/python3 scripts/golden/stats.py

scikit-learn is used only to cross-check the Ledoit-Wolf intensity computed here from the paper's
formulas; the expected values themselves come from the code below.
"""
import io
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.covariance import ledoit_wolf, ledoit_wolf_shrinkage

SEED = 20261122
TRADING_DAYS = 252
LAMBDA = 0.94
RATE_SYMBOLS = {'^IRX', '^FVX', '^TNX', '^TYX'}
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'market', 'fixtures', 'stats-golden.json')


def synthetic_prices():
    """~2.7 years of business days: five factor-model stocks with scattered gaps, a late listing,
    an empty column, a one-price column, a two-price column, a rate series, an empty row and a last
    row where one ticker is missing."""
    rng = np.random.default_rng(SEED)
    dates = pd.bdate_range('2023-01-02', periods=700)
    n_days = len(dates)
    names = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE']
    loadings = np.array([[0.9, 0.5], [0.8, 0.6], [0.7, -0.4], [0.6, -0.5], [0.5, 0.1]])
    idio = np.array([0.8, 0.7, 0.9, 1.0, 1.1])
    factors = rng.standard_normal((n_days, 2))
    shocks = factors @ loadings.T + rng.standard_normal((n_days, 5)) * idio
    daily = 0.012 * shocks + 0.0003
    prices = pd.DataFrame(100 * np.exp(np.cumsum(daily, axis=0)), index=dates, columns=names)
    # NEWCO lists 180 business days before the end.
    newco = 50 * np.exp(np.cumsum(0.02 * rng.standard_normal(n_days)))
    newco[: n_days - 180] = np.nan
    prices['NEWCO'] = newco
    prices['EMPTY'] = np.nan
    prices['ONEPRICE'] = np.nan
    prices.iloc[300, prices.columns.get_loc('ONEPRICE')] = 12.5
    # Two prices far apart: only one falls in any window, so it can never give a return there.
    prices['SPARSE'] = np.nan
    prices.iloc[0, prices.columns.get_loc('SPARSE')] = 10.0
    prices.iloc[-2, prices.columns.get_loc('SPARSE')] = 11.0
    prices['^IRX'] = 4.5 + np.cumsum(0.01 * rng.standard_normal(n_days))
    # Gaps: scattered missing closes, a five-day outage, an empty row, a missing last close.
    for name, share in [('AAA', 0.02), ('BBB', 0.01), ('DDD', 0.015)]:
        holes = rng.choice(n_days - 2, size=int(share * n_days), replace=False)
        prices.iloc[holes, prices.columns.get_loc(name)] = np.nan
    prices.iloc[610:615, prices.columns.get_loc('EEE')] = np.nan
    prices.iloc[650, :] = np.nan
    prices.iloc[-1, prices.columns.get_loc('CCC')] = np.nan
    prices = prices.round(4)
    prices.index.name = 'date'
    return prices


def log_returns(prices, tickers, lookback):
    """The conventions, written independently with pandas: align, window, drop what cannot
    contribute, log returns between consecutive aligned dates."""
    dropped = []
    universe = []
    for t in tickers:
        if prices[t].notna().sum() < 2:
            dropped.append(t)
        else:
            universe.append(t)
    while True:
        aligned = prices[universe].dropna(how='any')
        end = aligned.index[-1]
        cutoff = end - pd.Timedelta(days=lookback)
        window = prices.loc[(prices.index > cutoff) & (prices.index <= end), universe]
        lonely = [t for t in universe if window[t].notna().sum() < 2]
        if not lonely:
            break
        dropped += lonely
        universe = [t for t in universe if t not in lonely]
    returns = np.log(aligned / aligned.shift(1)).iloc[1:]
    returns = returns[returns.index > cutoff]
    gaps = []
    for date, row in prices.loc[prices.index > cutoff, universe].iterrows():
        if date in aligned.index:
            continue
        gaps.append({'date': date.strftime('%Y-%m-%d'), 'missing': [t for t in universe if np.isnan(row[t])]})
    return universe, returns, gaps, dropped


def ledoit_wolf_paper(r):
    """Ledoit & Wolf (2004), section 3.1, directly: target m·I, m = <S, I>, with their
    normalised Frobenius norm ||A||^2 = tr(A A')/n and S the divisor-T covariance."""
    t_obs, n = r.shape
    x = r - r.mean(axis=0)
    s = x.T @ x / t_obs
    m = np.trace(s) / n
    d2 = np.sum((s - m * np.eye(n)) ** 2) / n
    b_bar2 = sum(np.sum((np.outer(xt, xt) - s) ** 2) / n for xt in x) / t_obs**2
    b2 = min(b_bar2, d2)
    return 0.0 if n == 1 or b2 == 0 else b2 / d2


def estimate(r, estimator):
    t_obs, n = r.shape
    sample = np.cov(r, rowvar=False)
    extra = {}
    if estimator == 'sample':
        cov = sample
    elif estimator == 'ledoit-wolf':
        shrink = ledoit_wolf_paper(r)
        mu = np.trace(sample) / n
        cov = (1 - shrink) * sample + shrink * mu * np.eye(n)
        # Cross-checks against scikit-learn (its shrunk matrix uses the divisor-T covariance).
        assert abs(shrink - ledoit_wolf_shrinkage(r)) <= 1e-9 * max(shrink, 1e-300), (shrink, ledoit_wolf_shrinkage(r))
        sk_cov, _ = ledoit_wolf(r)
        assert np.max(np.abs(sk_cov * t_obs / (t_obs - 1) - cov)) <= 1e-9 * np.max(np.abs(cov))
        extra = {'shrinkage': shrink, 'targetVariance': mu}
    elif estimator == 'ewma':
        weights = LAMBDA ** np.arange(t_obs - 1, -1, -1) * (1 - LAMBDA) / (1 - LAMBDA**t_obs)
        cov = np.einsum('t,ti,tj->ij', weights, r, r)
        extra = {'lambda': LAMBDA}
    else:
        raise ValueError(estimator)
    return cov, extra


def case(prices, name, estimator, lookback, tickers=None):
    default = tickers is None
    names = [t for t in prices.columns if t not in RATE_SYMBOLS] if default else tickers
    universe, returns, gaps, dropped = log_returns(prices, names, lookback)
    r = returns.to_numpy()
    cov, extra = estimate(r, estimator)
    mean = r.mean(axis=0)
    vol = np.sqrt(TRADING_DAYS * np.diag(cov))
    options = {'lookback': lookback, 'estimator': estimator}
    if not default:
        options['tickers'] = tickers
    return {
        'name': name,
        'options': options,
        'expected': {
            'tickers': universe,
            'first': returns.index[0].strftime('%Y-%m-%d'),
            'last': returns.index[-1].strftime('%Y-%m-%d'),
            'observations': len(returns),
            'estimator': estimator,
            'meanDaily': dict(zip(universe, mean.tolist())),
            'covDaily': cov.tolist(),
            'volAnnual': dict(zip(universe, vol.tolist())),
            **extra,
            'dropped': {'dates': gaps, 'tickers': dropped},
        },
    }


def main():
    # The CSV text is the input of record: parse it back so both sides see the same doubles.
    text = synthetic_prices().to_csv(na_rep='', lineterminator='\n')
    prices = pd.read_csv(io.StringIO(text), index_col='date', parse_dates=['date'])
    cases = []
    for estimator in ['sample', 'ledoit-wolf', 'ewma']:
        cases.append(case(prices, f'default universe, lookback 730, {estimator}', estimator, 730))
        cases.append(case(prices, f'default universe, lookback 120, {estimator}', estimator, 120))
        cases.append(case(prices, f'five tickers, lookback 365, {estimator}', estimator, 365, ['EEE', 'AAA', 'CCC', 'BBB', 'DDD']))
    fixture = {
        'generator': 'scripts/golden/stats.py',
        'versions': {'numpy': np.__version__, 'pandas': pd.__version__, 'sklearn': sklearn.__version__, 'python': sys.version.split()[0]},
        'seed': SEED,
        'pricesCsv': text,
        'cases': cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        json.dump(fixture, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.normpath(OUT)}: {len(cases)} cases')


if __name__ == '__main__':
    main()
