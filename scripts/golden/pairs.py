#!/usr/bin/python3
"""Golden values for ASTRA's Kalman pairs engine (engine/pairs, `astra pairs`): the filter recursion
and the backtest rules written out independently with numpy from docs/conventions.md ("Kalman pair
filter", "Pairs backtest"), on a seeded synthetic pair of one-minute bars with gaps, three sessions
(one at a different UTC offset) and a session whose last bar is missing.

The filter is the textbook matrix form: R = P + V_w, K = R h'/Q, P = (I - K h) R (I - K h)' + K Ve K'
with 2x2 numpy matrices. The likelihood is evaluated on a grid of (delta, Ve) and maximised with
scipy's Nelder-Mead from several starts, for the calibration tests.

It writes engine/pairs/fixtures/pairs-golden.json: the bars as CSV text, and for each case the CLI
options and the expected per-bar arrays, trades and figures. The TypeScript tests compare with it
(1e-9) and never need Python. Run with Debian's numpy and scipy:

    /usr/bin/python3 scripts/golden/pairs.py
"""
import json
import math
import os
from datetime import datetime, timedelta, timezone

import numpy as np
from scipy.optimize import minimize

SEED = 20261201
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'engine', 'pairs', 'fixtures', 'pairs-golden.json')
BARS_PER_YEAR = 252 * 390


def synthetic_bars():
    """Three sessions of 150 one-minute bars: y = 1.5 x + 4 + OU spread + noise, with gaps."""
    rng = np.random.default_rng(SEED)
    sessions = [('2026-03-05', -5), ('2026-03-06', -5), ('2026-03-09', -4)]  # the third after the DST change
    per = 150
    n = per * len(sessions)
    x = 60 * np.exp(np.cumsum(rng.normal(0, 0.0006, n)))
    s = np.zeros(n)
    for t in range(1, n):
        s[t] = 0.9 * s[t - 1] + rng.normal(0, 0.03)
    y = 1.5 * x + 4 + s + rng.normal(0, 0.025, n)
    y[[17, 18, 200, 333]] = np.nan  # y missing
    x[[40, 201, 260]] = np.nan  # x missing
    y[[90, 91]] = np.nan  # both missing
    x[[90, 91]] = np.nan
    y[per * 2 - 1] = np.nan  # the second session's last bar has no y
    stamps = []
    for day, offset in sessions:
        tz = timezone(timedelta(hours=offset))
        open_ = datetime.fromisoformat(day + 'T09:30:00').replace(tzinfo=tz)
        for m in range(per):
            stamps.append((open_ + timedelta(minutes=m)).isoformat())
    return stamps, y, x


def bars_csv(stamps, y, x):
    def cell(v):
        return '' if np.isnan(v) else repr(float(v))
    lines = ['timestamp,YY,XX']
    lines += [f'{t},{cell(a)},{cell(b)}' for t, a, b in zip(stamps, y, x)]
    return '\n'.join(lines) + '\n'


def kalman(y, x, delta, ve, burn_in=0, start=0, stop=None):
    """The filter from theta = 0, P = 0 at `start`; per-bar beta, alpha, e, Q, z and the log-likelihood."""
    stop = len(y) if stop is None else stop
    theta = np.zeros(2)
    P = np.zeros((2, 2))
    Vw = delta / (1 - delta) * np.eye(2)
    I = np.eye(2)
    out = {k: [] for k in ('beta', 'alpha', 'spread', 'variance', 'z')}
    ll, obs = 0.0, 0
    for t in range(start, stop):
        R = P + Vw
        if np.isnan(y[t]) or np.isnan(x[t]):
            P = R
            e = Q = z = float('nan')
        else:
            h = np.array([x[t], 1.0])
            e = y[t] - h @ theta
            Q = h @ R @ h + ve
            K = R @ h / Q
            theta = theta + K * e
            A = I - np.outer(K, h)
            P = A @ R @ A.T + ve * np.outer(K, K)
            P = (P + P.T) / 2
            z = e / math.sqrt(Q)
            if t - start >= burn_in:
                ll += -0.5 * (math.log(2 * math.pi * Q) + e * e / Q)
                obs += 1
        out['beta'].append(float(theta[0]))
        out['alpha'].append(float(theta[1]))
        out['spread'].append(float(e))
        out['variance'].append(float(Q))
        out['z'].append(float(z))
    return out, ll, obs


def backtest(stamps, y, x, f, entry, exit_, cost_bps, first_signal, halted=False):
    """The rules of docs/conventions.md, bar by bar: decide at t's close, earn t -> t+1."""
    n = len(y)
    date = [s[:10] for s in stamps]
    rate = cost_bps / 1e4
    pos, beta_e, gross_e = 0, 0.0, 1.0
    last_y = last_x = float('nan')
    eq, eq_net = 1.0, 1.0
    equity, equity_net, position = [], [], []
    rets, rets_net = [], []
    trades = []
    open_trade = None
    turnover = 0.0
    blocked = 0
    for t in range(n):
        py = last_y if np.isnan(y[t]) else y[t]
        px = last_x if np.isnan(x[t]) else x[t]
        pnl = 0.0
        if pos != 0:
            pnl = pos * ((py - last_y) - beta_e * (px - last_x)) / gross_e
            open_trade['pnl'] += pnl
        last_y, last_x = py, px
        z = f['z'][t]
        target = pos
        if t >= first_signal and not math.isnan(z):
            want = -1 if z > entry else (1 if z < -entry else 0)
            if pos == 0:
                target = want
            elif abs(z) < exit_:
                target = 0
            elif want != 0 and want != pos:
                target = want
        reason = 'flip' if (target != 0 and pos != 0 and target != pos) else 'signal'
        if t == n - 1 or date[t + 1] != date[t]:
            target, reason = 0, 'session-end'
        if halted and target != 0 and target != pos:
            blocked += 1
            target = 0
        cost = 0.0
        if target != pos:
            if pos != 0:
                notional = (abs(py) + abs(beta_e) * abs(px)) / gross_e
                cost += rate * notional
                turnover += notional
                open_trade.update(exitBar=t, exitTime=stamps[t], zExit=z, exitReason=reason)
                open_trade['costs'] += rate * notional
                open_trade['pnlAfterCosts'] = open_trade['pnl'] - open_trade['costs']
                open_trade['bars'] = t - open_trade['entryBar']
                trades.append(open_trade)
                open_trade = None
            if target != 0:
                beta_e = f['beta'][t]
                gross_e = abs(y[t]) + abs(beta_e) * abs(x[t])
                cost += rate
                turnover += 1
                open_trade = {'side': 'long' if target > 0 else 'short', 'entryBar': t, 'entryTime': stamps[t],
                              'betaEntry': beta_e, 'zEntry': z, 'pnl': 0.0, 'costs': rate}
            pos = target
        eq += pnl
        eq_net += pnl - cost
        equity.append(eq)
        equity_net.append(eq_net)
        position.append(pos)
        if t >= first_signal:
            rets.append(pnl)
            rets_net.append(pnl - cost)

    def figures(r, curve, net):
        r = np.array(r)
        sd = r.std(ddof=1)
        sr = r.mean() / sd if sd > 0 else float('nan')
        c = np.array(curve[first_signal:])
        peak = np.maximum.accumulate(np.concatenate([[1.0], c]))[1:]
        wins = sum(1 for tr in trades if (tr['pnlAfterCosts'] if net else tr['pnl']) > 0)
        return {
            'totalReturn': curve[-1] - 1,
            'sharpe': sr * math.sqrt(BARS_PER_YEAR),
            'sharpeSe': math.sqrt((1 + sr * sr / 2) / len(r)) * math.sqrt(BARS_PER_YEAR),
            'maxDrawdown': float(np.max((peak - c) / peak)),
            'hitRate': wins / len(trades) if trades else float('nan'),
            'turnover': turnover,
        }

    return {
        'position': position, 'equity': equity, 'equityAfterCosts': equity_net, 'trades': trades,
        'beforeCosts': figures(rets, equity, False), 'afterCosts': figures(rets_net, equity_net, True),
        'blockedEntries': blocked,
    }


def clean(v):
    """NaN -> None, as the CLI's JSON writes it."""
    if isinstance(v, float):
        return None if math.isnan(v) else v
    if isinstance(v, dict):
        return {k: clean(w) for k, w in v.items()}
    if isinstance(v, list):
        return [clean(w) for w in v]
    return v


def mle(y, x, window, burn_in):
    """Maximum likelihood over (ln q, ln Ve), q = delta/(1 - delta), by scipy's Nelder-Mead from several starts."""
    def negll(u):
        q, ve = math.exp(u[0]), math.exp(u[1])
        _, ll, _ = kalman(y, x, q / (1 + q), ve, burn_in=burn_in, stop=window)
        return -ll
    best = None
    for s in [(-14, -8), (-12, -6), (-10, -4), (-16, -10)]:
        r = minimize(negll, np.array(s, dtype=float), method='Nelder-Mead', options={'xatol': 1e-6, 'fatol': 1e-10, 'maxfev': 4000})
        if best is None or r.fun < best.fun:
            best = r
    q, ve = math.exp(best.x[0]), math.exp(best.x[1])
    return {'delta': q / (1 + q), 've': ve, 'logLik': -best.fun}


def main():
    stamps, y, x = synthetic_bars()
    n = len(y)
    cases = []
    specs = [
        {'name': 'defaults', 'delta': 1e-8, 've': 2e-3, 'calibrate': 60, 'warmup': 30, 'entry': 2.0, 'exit': 0.5, 'costBps': 0.0, 'halted': False},
        {'name': 'tight bands with costs', 'delta': 1e-7, 've': 1e-3, 'calibrate': 50, 'warmup': 10, 'entry': 1.5, 'exit': 0.25, 'costBps': 2.5, 'halted': False},
        {'name': 'no warm-up, wide exit', 'delta': 3e-8, 've': 3e-3, 'calibrate': 40, 'warmup': 0, 'entry': 1.0, 'exit': 0.9, 'costBps': 1.0, 'halted': False},
        {'name': 'halted', 'delta': 1e-8, 've': 2e-3, 'calibrate': 60, 'warmup': 30, 'entry': 2.0, 'exit': 0.5, 'costBps': 0.0, 'halted': True},
    ]
    for c in specs:
        f, ll, obs = kalman(y, x, c['delta'], c['ve'])
        first = c['calibrate'] + c['warmup']
        b = backtest(stamps, y, x, f, c['entry'], c['exit'], c['costBps'], first, c['halted'])
        _, window_ll, window_obs = kalman(y, x, c['delta'], c['ve'], burn_in=min(30, c['calibrate'] // 4), stop=c['calibrate'])
        cases.append(clean({'name': c['name'], 'options': c, 'expected': {**f, **b, 'windowLogLik': window_ll, 'windowObservations': window_obs}}))
    # The likelihood on a grid, and the MLE on the first 150 bars (one session) with a 30-bar burn-in.
    grid = []
    for d in (1e-8, 1e-6, 1e-4):
        for v in (1e-5, 1e-3, 1e-1):
            _, ll, obs = kalman(y, x, d, v, burn_in=30, stop=150)
            grid.append({'delta': d, 've': v, 'logLik': ll, 'observations': obs})
    fit = mle(y, x, 150, 30)
    doc = {
        'about': 'written by scripts/golden/pairs.py; compare to 1e-9',
        'barsCsv': bars_csv(stamps, y, x),
        'y': 'YY', 'x': 'XX', 'bars': n,
        'cases': cases,
        'likelihood': {'window': 150, 'burnIn': 30, 'grid': grid, 'mle': fit},
    }
    with open(OUT, 'w') as fh:
        json.dump(doc, fh, indent=1)
        fh.write('\n')
    for c in cases:
        print(c['name'], 'trades', len(c['expected']['trades']), 'blocked', c['expected']['blockedEntries'])
    print('mle', fit)


if __name__ == '__main__':
    main()
