#!/usr/bin/env node
/**
 * Bundle-size budget of the built app: gzip size of every JavaScript file in dist/ (entry chunk,
 * lazily loaded chart chunk, engine worker), checked against budgets with headroom.
 *
 *   node scripts/check-bundle-size.js [distDir]   → prints the table, exits 1 when over budget
 *
 * Also imported by e2e/bundle-size.test.ts so `npm run test:e2e` (after `npm run build`) enforces it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Budgets in gzip bytes. Measured 2026-11: total ≈ 98 KB (entry ≈ 30 KB, chart ≈ 62 KB, worker ≈ 6 KB).
 *
 * The total was 140 KB until the Risk module; it is 150 KB since, for this reason: the module adds
 * ≈ 15 KB gzip, all of it loaded on demand after the first paint (its panels ≈ 10 KB — VaR and ES by
 * three methods, limit, inputs, histogram, contributions, stress, backtest — the Monte Carlo combine
 * and report assembly on the page ≈ 2.5 KB, its state and stored settings ≈ 2 KB). Before it the app
 * stood at 128 KB. Its two non-time-series charts are hand-rolled SVG rather than uPlot (1.6.32:
 * 21.6 KB gzip on its own), which kept the increase to that. Measured with it: total ≈ 146 KB,
 * entry ≈ 48 KB (the entry budget is unchanged).
 *
 * It is 170 KB since real data (demo, live, snapshot, CSV), for this reason: reading a source now
 * happens in the engine workers — the CSV parser (papaparse ≈ 7 KB gzip) and the engine's CSV
 * reader, the snapshot validator, the cleaning rules and the data report — which grows the worker
 * chunk by ≈ 14 KB; and the data-source module (switcher, live loading through the proxy, files,
 * IndexedDB persistence with idb-keyval, the report panel) is ≈ 11 KB, loaded after the first
 * paint. Moving the book's CSV reading into the workers took papaparse out of the entry chunk,
 * which shrank by ≈ 5 KB. Measured with it: total ≈ 167 KB, entry ≈ 43 KB.
 *
 * The engine worker also serves the Kalman pairs tasks (`pairs.demo`, `pairs.run`) the Alpha
 * module runs: the filter, its maximum-likelihood calibration, the backtest report and the pair
 * run add ≈ 4.1 KB gzip to the worker, none of it before the first paint.
 *
 * It also serves the optimizer's tasks (`portfolio.solve`, `portfolio.frontier`): validation and
 * scaling, the exact feasibility check with its messages, the warm-start mapping and the frontier
 * add ≈ 4.5 KB gzip to the worker (the QP itself is in the wasm, which is not counted), none of it
 * before the first paint: 180 KB (measured with it: total ≈ 178 KB, entry ≈ 45 KB).
 *
 * It is 195 KB since the Inventory module (the optimizer's panel), for this reason: it adds
 * ≈ 14 KB gzip, none of it before the first paint. Its chunk is ≈ 12.4 KB (inputs with the
 * per-asset bounds table, status and conflict, KPIs, binding constraints, weight bars and the
 * frontier as small SVG components, comparison and rebalance tables ≈ 9 KB; its state, slot and
 * problem builder ≈ 3 KB); the worker grows ≈ 1.9 KB for the module's two tasks with the
 * comparison and the rebalance; sharing the slider between Risk and Inventory costs ≈ 1 KB of
 * chunk glue, and one entry chunk (vite.config.ts) saves ≈ 0.8 KB. Its frontier is hand-rolled SVG,
 * not uPlot (21.6 KB gzip alone). Measured with it: total ≈ 191.7 KB (≈ 178 KB without it), entry
 * ≈ 43.8 KB; the entry budget is unchanged.
 *
 * The pair scan (`pairs.scanBlock`: the Engle–Granger statistics, MacKinnon's tables, the
 * tail-accurate normal CDF, Benjamini–Hochberg, the blocks and the ranking) adds ≈ 3.0 KB gzip to
 * the worker, none of it before the first paint: 198 KB.
 *
 * It is 220 KB since the Alpha module (Kalman pairs), for this reason: the module adds ≈ 22 KB
 * gzip, all loaded after the first paint — its chunk ≈ 17.7 KB (panels ≈ 9 KB: pair and inputs,
 * figures before and after costs, replay controls, trade list, scan table, the chart wrapper; state
 * and replay ≈ 3.5 KB; pure chart/format/settings helpers ≈ 2 KB; the scan's page-side plan and
 * combine ≈ 1.5 KB), the replay's feed 0.8 KB (loaded on the first replay) and the pairs backtest
 * module it shares with the chunk 1.2 KB. The entry grows ≈ 1.5 KB: the panel's slot, and the
 * kernels loader (≈ 0.9 KB), which the bundler hoists into the entry because the entry already
 * reaches engine/kernels.ts (Header.svelte → engine/demo.ts). Its four charts reuse
 * lightweight-charts. Measured with it (and the pairs and scan engines in the worker, ≈ 23 KB of
 * their own): total ≈ 198 KB, entry ≈ 45.7 KB (the entry budget is unchanged).
 */
export const BUDGETS = {
  /** All JS the app can load. */
  totalJs: 220 * 1024,
  /** JS needed before the first paint: the entry chunk(s) referenced from index.html. */
  entryJs: 50 * 1024,
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Measure `distDir`: every `.js` / `.mjs` file with raw and gzip (level 9) sizes, and which are
 * entry scripts of index.html.
 */
export function measureBundle(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = walk(distDir)
    .filter((f) => /\.(m?js)$/.test(f))
    .map((path) => {
      const bytes = readFileSync(path);
      const name = relative(distDir, path).split('\\').join('/');
      return {
        name,
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length,
        entry: html.includes(name),
      };
    })
    .sort((a, b) => b.gzip - a.gzip);
  if (files.length === 0) throw new Error(`${distDir} has no JavaScript: run \`npm run build\` first`);
  const totalJs = files.reduce((s, f) => s + f.gzip, 0);
  const entryJs = files.filter((f) => f.entry).reduce((s, f) => s + f.gzip, 0);
  return { files, totalJs, entryJs };
}

/** Budget violations of a measurement (empty when within budget). */
export function overBudget(measured, budgets = BUDGETS) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const out = [];
  if (measured.totalJs > budgets.totalJs) out.push(`total JS ${kb(measured.totalJs)} gzip > budget ${kb(budgets.totalJs)}`);
  if (measured.entryJs > budgets.entryJs) out.push(`entry JS ${kb(measured.entryJs)} gzip > budget ${kb(budgets.entryJs)}`);
  return out;
}

/** Human-readable report. */
export function formatReport(measured, budgets = BUDGETS) {
  const kb = (n) => `${(n / 1024).toFixed(1).padStart(7)} KB`;
  const lines = measured.files.map((f) => `${kb(f.raw)} raw ${kb(f.gzip)} gzip  ${f.entry ? 'entry ' : '      '}${f.name}`);
  lines.push(`total JS ${kb(measured.totalJs).trim()} gzip (budget ${kb(budgets.totalJs).trim()}); entry ${kb(measured.entryJs).trim()} gzip (budget ${kb(budgets.entryJs).trim()})`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const distDir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
  try {
    const measured = measureBundle(distDir);
    console.log(formatReport(measured));
    const problems = overBudget(measured);
    for (const p of problems) console.error(`bundle size: ${p}`);
    process.exit(problems.length ? 1 : 0);
  } catch (e) {
    console.error(`bundle size: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
