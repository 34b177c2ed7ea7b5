#!/usr/bin/python3
"""Golden values for ASTRA's VaR (engine/risk, `astra var`): parametric and historical VaR/ES and
the 1-day 99% backtest, from an independent numpy/pandas implementation of the conventions in
docs/conventions.md ("VaR", "VaR backtest"), on seeded synthetic prices with gaps.

It writes engine/risk/fixtures/var-golden.json: the prices and the book as CSV text plus, for each
case (horizon, confidence, drift, lookback, backtest method), the expected figures. The TypeScript
tests compare with it to 1e-9 relative and never need Python. Run with Debian's numpy and pandas:

    /usr/bin/python3 scripts/golden/var.py
"""
import io
import json
import math
import os
from statistics import NormalDist

import numpy as np
import pandas as pd

SEED = 20261123
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'risk', 'fixtures', 'var-golden.json')


def synthetic_prices():
    rng = np.random.default_rng(SEED)
    dates = pd.bdate_range('2022-01-03', periods=1100)
    n = 6
    market = rng.normal(0.0002, 0.01, len(dates))
    shocks = rng.normal(0.0, 0.012, (len(dates), n))
    beta = np.array([1.1, 0.9, 1.3, 0.7, 1.0, 1.2])
    returns = market[:, None] * beta + shocks
    returns[600] -= 0.08  # a crash day, so the backtest has exceptions to find
    prices = 100 * np.exp(np.cumsum(returns, axis=0))
    prices[rng.random(prices.shape) < 0.01] = np.nan  # scattered gaps
    frame = pd.DataFrame(prices, index=dates.strftime('%Y-%m-%d'), columns=[f'S{i}' for i in range(n)])
    frame.index.name = 'date'
    return frame


def book_csv():
    return 'ticker,shares,price\nS0,1500,\nS2,-900,\nS3,2500,\nS5,-1000,\n'


def last_close(frame, ticker):
    return float(frame[ticker].dropna().iloc[-1])


def aligned_log_returns(frame, tickers):
    d = frame[tickers].dropna()
    r = np.log(d).diff().dropna()
    r.index = pd.to_datetime(r.index)
    return r


def window(r, lookback):
    return r[r.index > r.index[-1] - pd.Timedelta(days=lookback)]


def parametric(r, N, H, c, drift):
    mu = r.mean().values if drift == 'mean' else np.zeros(len(N))
    S = np.cov(r.values, rowvar=False)
    z = NormalDist().inv_cdf(c)
    sd = math.sqrt(N @ S @ N)
    var = -H * mu @ N + z * math.sqrt(H) * sd
    es = -H * mu @ N + math.sqrt(H) * sd * NormalDist().pdf(z) / (1 - c)
    marginal = N * (S @ N) / sd
    return var, es, list(-H * mu * N + z * math.sqrt(H) * marginal), list(-H * mu * N + NormalDist().pdf(z) / (1 - c) * math.sqrt(H) * marginal)


def historical(r, N, H, c):
    R = r.values
    pnl = np.array([(N * (np.exp(R[s:s + H].sum(axis=0)) - 1)).sum() for s in range(len(R) - H + 1)])
    q = np.quantile(pnl, 1 - c)  # numpy's default: linear interpolation
    one = (N * (np.exp(R) - 1)).sum(axis=1)
    q1 = np.quantile(one, 1 - c)
    return -q, -pnl[pnl <= q].mean(), len(pnl), -q1 * math.sqrt(H), -one[one <= q1].mean() * math.sqrt(H)


def xlny(x, y):
    return 0.0 if x == 0 else x * math.log(y)


def backtest(full, N, lookback, method, drift):
    R = full.values
    idx = full.index
    linear = R @ N
    realised = (N * (np.exp(R) - 1)).sum(axis=1)
    z = NormalDist().inv_cdf(0.99)
    hits = []
    for t in range(len(R)):
        m = (idx >= idx[t] - pd.Timedelta(days=lookback)) & (idx < idx[t])
        if m.sum() < 60:
            continue
        if method == 'parametric':
            w = linear[m]
            v = -(w.mean() if drift == 'mean' else 0.0) + z * w.std(ddof=1)
        else:
            v = -np.quantile(realised[m], 0.01)
        hits.append(1 if realised[t] < -v else 0)
    T, x, p = len(hits), sum(hits), 0.01
    pof = -2 * (xlny(T - x, 1 - p) + xlny(x, p) - xlny(T - x, 1 - x / T) - xlny(x, x / T))
    n = {(a, b): 0 for a in (0, 1) for b in (0, 1)}
    for a, b in zip(hits, hits[1:]):
        n[(a, b)] += 1
    pi0 = n[(0, 1)] / (n[(0, 0)] + n[(0, 1)]) if n[(0, 0)] + n[(0, 1)] else 0.0
    pi1 = n[(1, 1)] / (n[(1, 0)] + n[(1, 1)]) if n[(1, 0)] + n[(1, 1)] else 0.0
    pi = (n[(0, 1)] + n[(1, 1)]) / max(1, sum(n.values()))
    ind = -2 * ((xlny(n[(0, 0)] + n[(1, 0)], 1 - pi) + xlny(n[(0, 1)] + n[(1, 1)], pi))
                - (xlny(n[(0, 0)], 1 - pi0) + xlny(n[(0, 1)], pi0) + xlny(n[(1, 0)], 1 - pi1) + xlny(n[(1, 1)], pi1)))
    last = sum(hits[-250:])
    zone = 'insufficient data' if T < 250 else 'green' if last <= 4 else 'yellow' if last <= 9 else 'red'
    return {'observations': T, 'exceptions': x, 'kupiec': max(0.0, pof), 'christoffersen': max(0.0, ind), 'zone': zone, 'zoneExceptions': last}


def main():
    frame = synthetic_prices()
    book = pd.read_csv(io.StringIO(book_csv()))
    tickers = list(book.ticker)
    N = np.array([s * last_close(frame, t) for t, s in zip(book.ticker, book.shares)])
    full = aligned_log_returns(frame, tickers)
    cases = []
    for H, c, drift, lookback, method in [(10, 0.99, 'mean', 730, 'parametric'), (1, 0.95, 'zero', 365, 'historical'), (5, 0.975, 'mean', 500, 'parametric')]:
        r = window(full, lookback)
        pv, pes, pvc, pesc = parametric(r, N, H, c, drift)
        hv, hes, windows, hvs, hess = historical(r, N, H, c)
        cases.append({
            'horizon': H, 'confidence': c, 'drift': drift, 'lookback': lookback, 'backtestMethod': method,
            'observations': len(r), 'first': r.index[0].strftime('%Y-%m-%d'), 'last': r.index[-1].strftime('%Y-%m-%d'),
            'parametric': {'var': pv, 'es': pes, 'varContributions': pvc, 'esContributions': pesc},
            'historical': {'var': hv, 'es': hes, 'windows': windows, 'varScaled': hvs, 'esScaled': hess},
            'backtest': backtest(full, N, lookback, method, drift),
        })
    out = {
        'generator': 'scripts/golden/var.py',
        'numpy': np.__version__,
        'pandas': pd.__version__,
        'pricesCsv': frame.to_csv(float_format='%.12g'),
        'bookCsv': book_csv(),
        'tickers': tickers,
        'notionals': list(N),
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
