import { loadKernels } from './engine/node.ts';
import { generateDemoMarket } from './engine/demo.ts';
import { calibrateKalman } from './engine/pairs/calibrate.ts';
import { pairBacktest } from './engine/pairs/backtest.ts';
import { sessionIds } from './engine/pairs/sessions.ts';
const k = await loadKernels();
const d = generateDemoMarket(k);
const [y0, x0] = d.bars.closes;
const y = y0.subarray(5850 - 390), x = x0.subarray(5850 - 390);
const s = sessionIds(d.bars.timestamps).subarray(5850 - 390);
for (let rep = 0; rep < 4; rep++) {
  let t0 = performance.now();
  let fit;
  for (let i = 0; i < 20; i++) fit = calibrateKalman(k, y, x, { window: 390, maxEvaluations: 40, burnIn: 30 });
  const tc = (performance.now() - t0) / 20;
  t0 = performance.now();
  let r;
  for (let i = 0; i < 20; i++) r = pairBacktest(k, { y, x, sessions: s, delta: fit!.delta, ve: fit!.ve, tradeFrom: 390, series: false });
  const tb = (performance.now() - t0) / 20;
  console.log('calibrate', tc.toFixed(3), 'ms', fit!.evaluations, 'evals; backtest', tb.toFixed(3), 'ms', r!.roundTrips);
}
