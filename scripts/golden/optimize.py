#!/usr/bin/python3
"""Golden answers for ASTRA's optimizer (engine/portfolio, `astra optimize`), from cvxopt.

An independent implementation of the conventions in docs/conventions.md ("Optimizer"): the problem
is written on the u − v split (w = u − v, u, v ≥ 0, gross = Σ(u + v)), with a second split for the
turnover term, scaled the same way the engine documents (objective / (γ·s), s = mean of Σ's
diagonal), solved by cvxopt's interior-point QP, then *polished on its active set*: the variables
at a breakpoint (a bound, 0, the current weight) and the rows at their limits are read off cvxopt's
answer, and the equality-constrained QP on that active set is solved exactly with numpy. The
polished point is kept when it is feasible and no worse than cvxopt's.

It writes engine/portfolio/fixtures/optimize-golden.json and the prices CSVs beside it (closes to 4
decimals; Σ and μ are computed from the files as written, as `astra optimize --prices` reads them,
and are not stored in the JSON: the tests rebuild them through the engine's market statistics). Run with
Debian's python (cvxopt 1.3.0, numpy, pandas):

    /usr/bin/python3 scripts/golden/optimize.py

`--stdin` instead reads a JSON list of problems (the engine's PortfolioProblem shape, covariance
flat) and prints the answers: a development aid.
"""
import io
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from cvxopt import matrix, solvers

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', '..', 'engine', 'portfolio', 'fixtures')
OUT = os.path.join(FIXTURES, 'optimize-golden.json')
TRADING_DAYS = 252
ACCRUAL = 365 / 360  # ACT/360, a year of calendar days

solvers.options['show_progress'] = False
solvers.options['abstol'] = 1e-11
solvers.options['reltol'] = 1e-11
solvers.options['feastol'] = 1e-11
solvers.options['maxiters'] = 300


def boxes(p, n, tickers):
    """Per-asset [lower, upper] after defaults (±gross) and sides, as the engine documents."""
    L = p['gross']
    lo = np.full(n, -L)
    hi = np.full(n, L)
    ulo = np.zeros(n, bool)
    uhi = np.zeros(n, bool)
    for t, b in (p.get('bounds') or {}).items():
        i = tickers.index(t)
        if b.get('lower') is not None:
            lo[i] = b['lower']
            ulo[i] = True
        if b.get('upper') is not None:
            hi[i] = b['upper']
            uhi[i] = True
        if not uhi[i]:
            hi[i] = max(hi[i], lo[i])
        if not ulo[i]:
            lo[i] = min(lo[i], hi[i])
    side = np.zeros(n)
    if p['mode'] == 'signed':
        for t, s in (p.get('sides') or {}).items():
            side[tickers.index(t)] = {'long': 1, 'short': -1, 'flat': 0}[s]
        for i in range(n):
            if side[i] > 0:
                lo[i] = max(lo[i], 0)
                hi[i] = max(hi[i], lo[i])
            elif side[i] < 0:
                hi[i] = min(hi[i], 0)
                lo[i] = min(lo[i], hi[i])
            else:
                lo[i] = hi[i] = 0
    return lo, hi, side


def costs(p, n, tickers):
    """−carry slopes per unit weight, annual: longs pay RFR + spread, shorts earn RFR − spread − borrow."""
    c = p.get('carry')
    if c is None:
        return np.zeros(n), np.zeros(n)
    rfr = c['rfr']
    long_rate = rfr + c.get('longSpreadBps', 50) / 1e4
    over = c.get('borrowOverrides') or {}
    short = np.array([rfr - (c.get('shortSpreadBps', 25) + over.get(t, c.get('borrowBps', 40))) / 1e4 for t in tickers])
    return np.full(n, long_rate * ACCRUAL), short * ACCRUAL


def objective(p, w, cov, mu_obj, cl, cs, tau, w0):
    g = p.get('gamma', 1.0)
    return g * w @ cov @ w - mu_obj @ w + np.sum(np.where(w > 0, cl * w, cs * w)) + tau * np.sum(np.abs(w - w0))


def breakpoints(lo, hi, w0, tau):
    pts = [lo]
    if lo < 0 < hi:
        pts.append(0.0)
    if tau > 0 and lo < w0 < hi and w0 != 0:
        pts.append(w0)
    if hi > lo:
        pts.append(hi)
    return sorted(pts)


def solve(p):
    tickers = list(p['tickers'])
    n = len(tickers)
    cov = np.array(p['covAnnual'], float).reshape(n, n)
    cov = 0.5 * (cov + cov.T)
    mode = p['mode']
    mu = np.array(p.get('expectedReturn') or [0.0] * n, float)
    mu_obj = mu if mode == 'meanvar' else np.zeros(n)
    g = p.get('gamma', 1.0)
    L = p['gross']
    net_lo = p['net'] - p.get('netTol', 0)
    net_hi = p['net'] + p.get('netTol', 0)
    lo, hi, side = boxes(p, n, tickers)
    cl, cs = costs(p, n, tickers)
    tau = p.get('turnoverBps', 0) / 1e4
    w0 = np.zeros(n)
    for t, v in (p.get('current') or {}).items():
        w0[tickers.index(t)] = v
    s = np.mean(np.diag(cov))
    H = 2 * cov / s
    lin = 1 / (g * s)

    # Variables [u, v] (+ [tp, tm] with turnover): w = u − v, w − w0 = tp − tm.
    m = 4 * n if tau > 0 else 2 * n
    P = np.zeros((m, m))
    P[:n, :n] = H
    P[:n, n:2 * n] = -H
    P[n:2 * n, :n] = -H
    P[n:2 * n, n:2 * n] = H
    q = np.zeros(m)
    q[:n] = (-mu_obj + cl) * lin
    q[n:2 * n] = (mu_obj - cs) * lin
    if tau > 0:
        q[2 * n:] = tau * lin
    E = np.hstack([np.eye(n), -np.eye(n), np.zeros((n, m - 2 * n))])  # w = E x
    G = [-np.eye(m), E, -E]
    h = [np.zeros(m), hi, -lo]
    A = []
    b = []
    gross_row = np.concatenate([np.ones(2 * n), np.zeros(m - 2 * n)])
    net_row = np.ones(n) @ E
    if mode == 'signed':
        A.append(gross_row)
        b.append(L)
        for i in range(n):
            if side[i] >= 0:  # long or flat: v = 0
                r = np.zeros(m)
                r[n + i] = 1
                A.append(r)
                b.append(0.0)
            if side[i] <= 0:
                r = np.zeros(m)
                r[i] = 1
                A.append(r)
                b.append(0.0)
    else:
        G.append(gross_row[None, :])
        h.append(np.array([L]))
    if net_lo == net_hi:
        A.append(net_row)
        b.append(net_lo)
    else:
        G.append(net_row[None, :])
        h.append(np.array([net_hi]))
        G.append(-net_row[None, :])
        h.append(np.array([-net_lo]))
    if tau > 0:
        T = np.hstack([np.eye(n), -np.eye(n), -np.eye(n), np.eye(n)])
        A.extend(list(T))
        b.extend(list(w0))
    Gm = np.vstack([np.atleast_2d(x) for x in G])
    hm = np.concatenate(h)
    Am, bm = independent_rows(np.array(A, float), np.array(b, float)) if A else (None, None)
    if Am is not None:
        x_ls = np.linalg.lstsq(Am, bm, rcond=None)[0]
        if np.max(np.abs(np.array(A, float) @ x_ls - np.array(b, float))) > 1e-9:
            return {'status': 'infeasible', 'cvxopt': 'inconsistent equality rows'}
    args = [matrix(P), matrix(q), matrix(Gm), matrix(hm)]
    if Am is not None:
        args += [matrix(Am), matrix(bm)]
    try:
        sol = solvers.qp(*args)
    except ValueError:
        # Rank([P; A; G]) < n: a variable no row or cost pins down (e.g. a flat asset's split) — cannot happen
        # with the boxes above unless the problem is degenerate; report it instead of guessing.
        return {'status': 'error'}
    if sol['status'] != 'optimal' and sol['x'] is None:
        return {'status': 'infeasible', 'cvxopt': sol['status']}
    x = np.array(sol['x']).ravel()
    w = E @ x
    raw_obj = objective(p, w, cov, mu_obj, cl, cs, tau, w0)
    if sol['status'] != 'optimal':
        # primal infeasible (or unknown with a far-off point): check the constraints
        viol = violation(w, lo, hi, net_lo, net_hi, L, mode == 'signed')
        if viol > 1e-6:
            return {'status': 'infeasible', 'cvxopt': sol['status']}
    wp, polished = polish(p, w, H, (-mu_obj) * lin, cl * lin, cs * lin, tau * lin, w0, lo, hi, net_lo, net_hi, L, mode == 'signed')
    if polished:
        pol_obj = objective(p, wp, cov, mu_obj, cl, cs, tau, w0)
        if pol_obj <= raw_obj + 1e-9 * max(1.0, abs(raw_obj)):
            w = wp
        else:
            polished = False
    obj = objective(p, w, cov, mu_obj, cl, cs, tau, w0)
    return {
        'status': 'optimal',
        'cvxopt': sol['status'],
        'polished': bool(polished),
        'weights': w.tolist(),
        'objective': float(obj),
        'objectiveUnpolished': float(raw_obj),
        'volAnnual': float(math.sqrt(max(w @ cov @ w, 0))),
        'expectedReturn': float(mu @ w),
        'gross': float(np.sum(np.abs(w))),
        'net': float(np.sum(w)),
        'violation': float(violation(w, lo, hi, net_lo, net_hi, L, mode == 'signed')),
    }


def independent_rows(A, b):
    """cvxopt needs A of full row rank: keep the rows that add rank (consistent systems only lose copies)."""
    keep = []
    for r in range(A.shape[0]):
        if np.linalg.matrix_rank(A[keep + [r]]) == len(keep) + 1:
            keep.append(r)
    return A[keep], b[keep]


def violation(w, lo, hi, net_lo, net_hi, L, gross_eq):
    v = max(0.0, np.max(lo - w), np.max(w - hi))
    net = np.sum(w)
    gross = np.sum(np.abs(w))
    v = max(v, net_lo - net, net - net_hi, gross - L)
    if gross_eq:
        v = max(v, L - gross)
    return float(v)


def polish(p, w, H, q, cl, cs, tau, w0, lo, hi, net_lo, net_hi, L, gross_eq):
    """The exact minimiser on the active set read off w; (w', True) when it is feasible and its multipliers have the right signs."""
    n = len(w)
    tol = 1e-7 * max(1.0, L)
    fixed = np.zeros(n, bool)
    val = w.copy()
    seg_slope = np.zeros(n)
    seg_sign = np.zeros(n)
    seg_lo = np.zeros(n)
    seg_hi = np.zeros(n)
    for i in range(n):
        pts = breakpoints(lo[i], hi[i], w0[i], tau)
        near = [b for b in pts if abs(w[i] - b) <= tol]
        if near or len(pts) == 1:
            fixed[i] = True
            val[i] = near[0] if near else pts[0]
            continue
        k = max(j for j in range(len(pts) - 1) if pts[j] <= w[i])
        a, c = pts[k], pts[k + 1]
        mid = 0.5 * (a + c)
        seg_slope[i] = (cl[i] if mid > 0 else cs[i]) + ((tau if mid > w0[i] else -tau) if tau > 0 else 0)
        seg_sign[i] = 1 if mid > 0 else -1
        seg_lo[i], seg_hi[i] = a, c
    F = np.where(~fixed)[0]
    X = np.where(fixed)[0]
    rows = []
    rhs = []
    net = np.sum(w)
    gross = np.sum(np.abs(w))
    if net_lo == net_hi or abs(net - net_hi) <= tol or abs(net - net_lo) <= tol:
        target = net_hi if abs(net - net_hi) <= abs(net - net_lo) else net_lo
        rows.append(np.ones(len(F)))
        rhs.append(target - np.sum(val[X]))
    if gross_eq or abs(gross - L) <= tol:
        rows.append(seg_sign[F])
        rhs.append(L - np.sum(np.abs(val[X])))
    k = len(F)
    m = len(rows)
    K = np.zeros((k + m, k + m))
    K[:k, :k] = H[np.ix_(F, F)]
    for r, row in enumerate(rows):
        K[k + r, :k] = row
        K[:k, k + r] = row
    rhs_top = -(q[F] + seg_slope[F] + H[np.ix_(F, X)] @ val[X])
    sol = np.linalg.lstsq(K, np.concatenate([rhs_top, rhs]), rcond=None)[0]
    out = val.copy()
    out[F] = sol[:k]
    if k and (np.any(out[F] < seg_lo[F] - 1e-12) or np.any(out[F] > seg_hi[F] + 1e-12)):
        return w, False
    if violation(out, lo, hi, net_lo, net_hi, L, gross_eq) > 1e-12:
        return w, False
    return out, True


# ----------------------------------------------------------------------------- golden cases

def synthetic_prices(seed, n, days=560, gaps=True):
    """Daily closes of n assets from a 3-factor model, seeded; a few scattered gaps."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range('2023-01-02', periods=days)
    factors = rng.normal(0.0003, 0.009, (days, 3))
    loadings = rng.normal(0.8, 0.4, (n, 3)) * np.array([1.0, 0.5, 0.3])
    idio = rng.normal(0.0, 1.0, (days, n)) * rng.uniform(0.006, 0.02, n)
    drift = rng.normal(0.0002, 0.0004, n)
    returns = factors @ loadings.T + idio + drift
    prices = 50 * np.exp(np.cumsum(returns, axis=0)) * rng.uniform(0.5, 4, n)
    if gaps:
        prices[rng.random(prices.shape) < 0.004] = np.nan
    names = [f'T{i:02d}' for i in range(n)]
    frame = pd.DataFrame(prices, index=dates.strftime('%Y-%m-%d'), columns=names)
    frame.index.name = 'date'
    return frame


def market(frame, lookback):
    """Annual mean and covariance as docs/conventions.md: aligned daily log returns, sample cov (n−1), × 252."""
    d = frame.dropna()
    r = np.log(d).diff().dropna()
    idx = pd.to_datetime(r.index)
    r = r[idx > idx[-1] - pd.Timedelta(days=lookback)]
    return list(frame.columns), (TRADING_DAYS * r.mean()).to_numpy(), (TRADING_DAYS * r.cov(ddof=1)).to_numpy()


def cases():
    """(name, prices file, lookback, problem without the market, CLI arguments or None)."""
    out = []
    book6 = {'T00': 'long', 'T01': 'short', 'T02': 'long', 'T03': 'short', 'T04': 'long', 'T05': 'short'}
    out.append(('minvar-net100-gross150', 'p6', 730, {'mode': 'minvar', 'gross': 1.5, 'net': 1.0}, ['--mode', 'minvar', '--gross', '1.5', '--net', '1']))
    out.append(('minvar-net0-band', 'p6', 365, {'mode': 'minvar', 'gross': 2, 'net': 0.2, 'netTol': 0.1}, ['--mode', 'minvar', '--gross', '2', '--net', '0.2', '--net-tol', '0.1', '--lookback', '365']))
    out.append(('meanvar-g2', 'p6', 730, {'mode': 'meanvar', 'gross': 2, 'net': 0, 'gamma': 2}, ['--mode', 'meanvar', '--gross', '2', '--net', '0', '--gamma', '2']))
    out.append(('meanvar-g05-bounds', 'p6', 730, {'mode': 'meanvar', 'gross': 2, 'net': 0.1, 'netTol': 0.05, 'gamma': 0.5,
                                                  'bounds': {'T00': {'lower': -0.2, 'upper': 0.3}, 'T03': {'upper': 0.1}}},
                ['--mode', 'meanvar', '--gross', '2', '--net', '0.1', '--net-tol', '0.05', '--gamma', '0.5', '--bounds', 'T00=-0.2:0.3', '--bounds', 'T03=:0.1']))
    out.append(('signed-book', 'p6', 730, {'mode': 'signed', 'gross': 2, 'net': 0, 'netTol': 0.2, 'sides': book6}, ['--mode', 'signed', '--gross', '2', '--net', '0', '--net-tol', '0.2', '--book', 'optimize-book6.csv']))
    out.append(('meanvar-carry', 'p6', 730, {'mode': 'meanvar', 'gross': 3, 'net': 0, 'netTol': 0.5, 'gamma': 1,
                                             'carry': {'rfr': 0.036}}, ['--mode', 'meanvar', '--gross', '3', '--net', '0', '--net-tol', '0.5', '--gamma', '1', '--carry', '--rfr', '0.036']))
    out.append(('minvar-turnover', 'p6', 730, {'mode': 'minvar', 'gross': 2, 'net': 0.5, 'turnoverBps': 25, 'gamma': 1,
                                               'current': {'T00': 0.3, 'T01': -0.2, 'T02': 0.4}}, None))
    out.append(('meanvar-n40', 'p40', 730, {'mode': 'meanvar', 'gross': 2, 'net': 0, 'gamma': 3}, ['--mode', 'meanvar', '--gross', '2', '--net', '0', '--gamma', '3']))
    out.append(('minvar-n40', 'p40', 730, {'mode': 'minvar', 'gross': 1.6, 'net': 1}, ['--mode', 'minvar', '--gross', '1.6', '--net', '1']))
    out.append(('signed-n40', 'p40', 730, {'mode': 'signed', 'gross': 2.5, 'net': 0.3, 'netTol': 0.05,
                                           'sides': {f'T{i:02d}': ('long' if i % 3 else 'short') for i in range(40)}}, None))
    out.append(('meanvar-n40-carry-turnover', 'p40', 500, {'mode': 'meanvar', 'gross': 2, 'net': 0, 'netTol': 0.1, 'gamma': 4,
                                                           'carry': {'rfr': 0.045, 'borrowOverrides': {'T05': 300}}, 'turnoverBps': 10,
                                                           'current': {f'T{i:02d}': (0.05 if i % 2 else -0.05) for i in range(40)}}, None))
    out.append(('meanvar-n120', 'p120', 730, {'mode': 'meanvar', 'gross': 2, 'net': 0, 'gamma': 5}, None))
    out.append(('minvar-n120', 'p120', 730, {'mode': 'minvar', 'gross': 1.5, 'net': 1}, None))
    return out


def book6_csv():
    return 'ticker,shares\nT00,100\nT01,-100\nT02,100\nT03,-100\nT04,100\nT05,-100\n'


def main():
    if '--stdin' in sys.argv:
        problems = json.load(sys.stdin)
        json.dump([solve(p) for p in problems], sys.stdout)
        return
    os.makedirs(FIXTURES, exist_ok=True)
    frames = {}
    for name, frame in {'p6': synthetic_prices(11, 6), 'p40': synthetic_prices(12, 40), 'p120': synthetic_prices(13, 120, days=320)}.items():
        path = os.path.join(FIXTURES, f'optimize-{name}.csv')
        frame.to_csv(path, na_rep='', float_format='%.4f')
        # The statistics come from the file as written (rounded closes), as the CLI reads it.
        frames[name] = pd.read_csv(path, index_col='date', dtype={'date': str})
    with open(os.path.join(FIXTURES, 'optimize-book6.csv'), 'w') as f:
        f.write(book6_csv())
    golden = []
    for name, prices, lookback, spec, cli in cases():
        tickers, mu, cov = market(frames[prices], lookback)
        p = dict(spec, tickers=tickers, covAnnual=cov.ravel().tolist(), expectedReturn=mu.tolist())
        r = solve(p)
        # Σ and μ are not stored: the tests rebuild them from the CSV (the stats golden file checks that path).
        del p['covAnnual'], p['expectedReturn']
        golden.append({'name': name, 'prices': f'optimize-{prices}.csv', 'lookback': lookback, 'problem': p, 'cli': cli, 'expected': r})
        print(f"{name}: {r['status']} polished={r.get('polished')} objective={r.get('objective')} (unpolished {r.get('objectiveUnpolished')})", file=sys.stderr)
    with open(OUT, 'w') as f:
        json.dump({'generator': 'scripts/golden/optimize.py', 'cvxopt': '1.3.0', 'cases': golden}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
