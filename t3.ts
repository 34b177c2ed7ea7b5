import { loadKernels } from './engine/node.ts';
import { engleGranger } from './engine/pairs/cointegration.ts';
import { GOLDEN, num } from './engine/pairs/fixtures/golden.ts';
import { scanPairs } from './engine/pairs/scan.ts';
import { generateDemoMarket } from './engine/demo.ts';
import { barTable } from './engine/pairs/fixtures/scan-helpers.ts';
import { mackinnonP, mackinnonCrit } from './engine/pairs/mackinnon.ts';
import { benjaminiHochberg } from './engine/pairs/multiple-testing.ts';
const k = await loadKernels();
const worst: Record<string, number> = {};
const rel = (key: string, got: number, want: any) => { const w = num(want); if (got === w) { worst[key] ??= 0; return; } const e = Math.abs(got - w) / Math.abs(w); worst[key] = Math.max(worst[key] ?? 0, e); };
for (const c of GOLDEN.cases) {
  const g = engleGranger(k, c.y, c.x); const e = c.expected;
  rel('corr', g.corr, e.corr); rel('adfStat', g.adfStat, e.adfStat); rel('pValue', g.pValue, e.pValue);
  if (e.lags !== undefined) rel('halfLife', g.halfLife, e.halfLife);
  for (const f of e.fixed ?? []) { const h = engleGranger(k, c.y, c.x, { lags: f.lags }); rel('adfStat fixed', h.adfStat, f.adfStat); rel('pValue fixed', h.pValue, f.pValue); }
}
const demo = generateDemoMarket(k);
for (const [name, r, want] of [['demo', scanPairs(k, demo.bars, { top: 0 }), GOLDEN.demo.pairs], ['gappy', scanPairs(k, barTable(GOLDEN.gappy.tickers, GOLDEN.gappy.closes), { formation: 0.6, top: 0 }), GOLDEN.gappy.pairs]] as const) {
  for (const w of want) { const p = r.pairs.find((q) => q.y === w.y && q.x === w.x)!; for (const key of ['corr', 'adfStat', 'pValue', 'pAdjusted', 'halfLife'] as const) rel(`${name} ${key}`, p[key], w[key]); }
}
for (const c of GOLDEN.mackinnon.p) rel('mackinnonp', mackinnonP(c.tau, c.n), c.p);
for (const c of GOLDEN.mackinnon.crit) mackinnonCrit(c.n, num(c.nobs)).forEach((v, i) => rel('mackinnoncrit', v, c.values[i]));
for (const b of GOLDEN.bh) benjaminiHochberg(b.p).forEach((v, i) => rel('bh', v, b.adjusted[i]));
console.log(Object.entries(worst).map(([k2, v]) => `${k2}: ${v.toExponential(1)}`).join('\n'));
