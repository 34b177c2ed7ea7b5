#!/usr/bin/python3
"""Golden values for ASTRA's pair scan statistics (engine/pairs/cointegration.ts, mackinnon.ts,
multiple-testing.ts, scan.ts; `astra scan`), from statsmodels 0.13.5, numpy and scipy, following
docs/conventions.md ("Pair scan"):

- corr: Pearson correlation of the 1-bar log returns (numpy);
- Engle-Granger: statsmodels `coint(y, x, trend='c', maxlag=K, autolag='aic')` with
  K = floor(12 * (m/100)**0.25) capped at m//2 - 1 (the convention's rule; statsmodels' own default
  rounds up, recorded separately as `default`), the lag it chose from `adfuller(u, maxlag=K,
  autolag='AIC', regression='n')` on the OLS residual, and fixed lags (`autolag=None, maxlag=k`);
- the half-life from statsmodels OLS of du_t on [1, u_{t-1}];
- MacKinnon p-values and critical values (`mackinnonp`, `mackinnoncrit`), the normal CDF
  (scipy's `norm.cdf`) and Benjamini-Hochberg (`multipletests(method='fdr_bh')`);
- every pair of a bar table: the rows where both legs have a price, the first floor(F*m) of them.

Seeded series are stored in the fixture; the demo case reads the bars written by
`astra demo-data`, and the TypeScript test regenerates the demo itself. Run:

    npx astra demo-data --out /tmp/astra-demo
    /usr/bin/python3 scripts/golden/scan.py --bars /tmp/astra-demo/bars.csv
"""
import argparse
import json
import math
import os
import warnings

import numpy as np
import pandas as pd
import scipy
import statsmodels
import statsmodels.api as sm
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.adfvalues import mackinnoncrit, mackinnonp
from statsmodels.tsa.stattools import adfuller, coint

SEED = 20261124
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'pairs', 'fixtures', 'scan-golden.json')


def num(v):
    """JSON has no inf/nan: write them as strings the test reads back."""
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    return v


def schwert(m):
    return min(m // 2 - 1, int(math.floor(12.0 * (m / 100.0) ** 0.25)))


def half_life(u):
    du = np.diff(u)
    res = sm.OLS(du, sm.add_constant(u[:-1])).fit()
    c, beta = res.params
    hl = math.inf if beta >= 0 else (math.nan if beta <= -1 else -math.log(2) / math.log(1 + beta))
    return beta, c, hl


def pair_stats(y, x, fixed=(0, 1, 2)):
    """Every statistic of y on x over all their rows (finite, positive)."""
    m = len(y)
    K = schwert(m)
    # As coint builds it: [x, 1], so the residual is the very one its ADF sees.
    ols = sm.OLS(y, sm.add_constant(x, prepend=False)).fit()
    u = ols.resid
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        stat, p, _ = coint(y, x, trend='c', maxlag=K, autolag='aic')
        d_stat, d_p, _ = coint(y, x, trend='c')  # statsmodels' default: K = ceil(...)
    collinear = not (ols.rsquared < 1 - 100 * np.sqrt(np.finfo(float).eps))
    out = {
        'rows': m,
        'maxLag': K,
        'intercept': num(ols.params[1]),
        'hedgeRatio': num(ols.params[0]),
        'rSquared': num(ols.rsquared),
        'corr': num(np.corrcoef(np.diff(np.log(y)), np.diff(np.log(x)))[0, 1]),
        'adfStat': num(stat),
        'pValue': num(p),
        'default': {'maxLag': min(m // 2 - 1, int(np.ceil(12.0 * np.power(m / 100.0, 1 / 4.0)))), 'adfStat': num(d_stat), 'pValue': num(d_p)},
    }
    if not collinear:
        a = adfuller(u, maxlag=K, autolag='AIC', regression='n')
        assert a[0] == stat, (a[0], stat)
        out['lags'] = int(a[2])
        out['adfObservations'] = int(a[3])
        out['aic'] = num(a[5])
        out['fixed'] = []
        for k in sorted(set([k for k in fixed if k <= K] + [K])):
            f = adfuller(u, maxlag=k, autolag=None, regression='n')
            out['fixed'].append({'lags': k, 'adfStat': num(f[0]), 'pValue': num(mackinnonp(f[0], regression='c', N=2))})
    beta, c, hl = half_life(u)
    out['reversion'] = num(beta)
    out['reversionConstant'] = num(c)
    out['halfLife'] = num(hl)
    return out


def seeded_cases():
    rng = np.random.default_rng(SEED)
    cases = []

    def walk(m, vol, start):
        return start * np.exp(np.cumsum(vol * rng.standard_normal(m)))

    def ar(m, coefs, sd):
        s = np.zeros(m)
        for t in range(m):
            s[t] = sum(c * s[t - 1 - j] for j, c in enumerate(coefs) if t - 1 - j >= 0) + sd * rng.standard_normal()
        return s

    x = walk(600, 0.002, 100.0)
    cases.append(('cointegrated-ar1', 1.5 * x + 3 + ar(600, [0.9], 0.05), x))
    cases.append(('random-walks', walk(800, 0.002, 50.0), walk(800, 0.002, 80.0)))
    x = walk(1000, 0.001, 200.0)
    cases.append(('ar3-spread', 0.8 * x + 10 + ar(1000, [0.5, 0.3, 0.15], 0.1), x))
    x = walk(40, 0.003, 30.0)
    cases.append(('short', 2.0 * x + 1 + ar(40, [0.5], 0.05), x))
    x = walk(300, 0.002, 60.0)
    cases.append(('collinear', 2.0 * x + 1.0, x))
    x = walk(500, 0.002, 90.0)
    cases.append(('slow-reversion', 0.5 * x + 40 + ar(500, [0.995], 0.05), x))
    out = []
    for name, y, x in cases:
        case = {'name': name, 'y': y.tolist(), 'x': x.tolist(), 'expected': pair_stats(y, x)}
        out.append(case)
    return out


def scan_table(frame, formation):
    """Every pair of the table's columns in file order: y the earlier column."""
    cols = list(frame.columns)
    pairs = []
    for i in range(len(cols)):
        for j in range(i + 1, len(cols)):
            both = frame[[cols[i], cols[j]]].dropna()
            m = len(both)
            mf = int(math.floor(formation * m))
            part = both.iloc[:mf]
            stats = pair_stats(part[cols[i]].to_numpy(), part[cols[j]].to_numpy(), fixed=())
            stats.pop('fixed', None)
            pairs.append({'y': cols[i], 'x': cols[j], 'commonRows': m, 'formationRows': mf, **stats})
    p = np.array([q['pValue'] for q in pairs], dtype=float)
    adjusted = multipletests(p, method='fdr_bh')[1]
    for q, a in zip(pairs, adjusted):
        q['pAdjusted'] = num(a)
    return pairs


def gappy_table():
    rng = np.random.default_rng(SEED + 1)
    n = 700
    f = np.cumsum(0.0015 * rng.standard_normal(n))
    cols = {}
    cols['A'] = 100 * np.exp(f + np.cumsum(0.001 * rng.standard_normal(n)))
    s = np.zeros(n)
    for t in range(1, n):
        s[t] = 0.93 * s[t - 1] + 0.04 * rng.standard_normal()
    cols['B'] = 0.7 * cols['A'] + 12 + s
    cols['C'] = 40 * np.exp(0.6 * f + np.cumsum(0.0012 * rng.standard_normal(n)))
    cols['D'] = 75 * np.exp(0.8 * f + np.cumsum(0.001 * rng.standard_normal(n)))
    frame = pd.DataFrame(cols)
    for c in frame.columns:
        frame.loc[rng.random(n) < 0.03, c] = np.nan
    frame.loc[: 99, 'D'] = np.nan  # D starts late
    return frame


def demo_case(path):
    frame = pd.read_csv(path, index_col=0)
    return {'source': 'astra demo-data bars.csv (all rows)', 'rows': len(frame), 'formation': 0.5, 'pairs': scan_table(frame, 0.5)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--bars', help='bars.csv written by `astra demo-data`', required=True)
    args = parser.parse_args()

    normal_x = [-38, -37.5, -30, -20, -12.5, -10, -8, -6, -5.657, -5.6, -5, -3, -2, -1, -0.7, -0.67448975, -0.5, -1e-20, 0,
                0.3, 0.67448975, 0.7, 1, 2, 3, 5, 5.6, 6, 8, 8.3, 9]
    taus = [round(-20 + 0.25 * i, 2) for i in range(93)] + [-18.86, -18.83, -2.62, -1.61, 0.92, 2.74, -3.33613, -2.86154]
    mack = {
        'p': [{'n': n, 'tau': t, 'p': num(mackinnonp(t, regression='c', N=n))} for n in (1, 2, 3, 6) for t in taus],
        'crit': [{'n': n, 'nobs': num(T), 'values': [num(v) for v in mackinnoncrit(N=n, regression='c', nobs=T)]}
                 for n in (1, 2, 3, 12) for T in (math.inf, 25, 50, 100, 250, 500, 5849)],
    }
    rng = np.random.default_rng(SEED + 2)
    bh_inputs = [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.2, 0.01, 0.04, 0.04, 0.9, 1.0, 0.0],
        rng.uniform(size=190).tolist(),
        np.concatenate([rng.uniform(size=180), rng.uniform(0, 1e-6, size=10)]).tolist(),
    ]
    bh = [{'p': p, 'adjusted': [num(v) for v in multipletests(np.array(p), method='fdr_bh')[1]]} for p in bh_inputs]

    gappy = gappy_table()
    fixture = {
        'generator': 'scripts/golden/scan.py',
        'numpy': np.__version__,
        'pandas': pd.__version__,
        'scipy': scipy.__version__,
        'statsmodels': statsmodels.__version__,
        'normal': [{'x': x, 'cdf': num(norm.cdf(x))} for x in normal_x],
        'mackinnon': mack,
        'bh': bh,
        'cases': seeded_cases(),
        'gappy': {
            'tickers': list(gappy.columns),
            'closes': [[None if math.isnan(v) else v for v in gappy[c].tolist()] for c in gappy.columns],
            'formation': 0.6,
            'pairs': scan_table(gappy, 0.6),
        },
        'demo': demo_case(args.bars),
    }
    with open(OUT, 'w') as fh:
        json.dump(fixture, fh, indent=1)
        fh.write('\n')
    print(f'wrote {os.path.normpath(OUT)}')


if __name__ == '__main__':
    main()
