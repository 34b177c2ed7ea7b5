import { loadKernels } from './engine/node.ts';
import { normals } from './engine/random/draws.ts';
import { engleGranger } from './engine/pairs/cointegration.ts';
import { benjaminiHochberg } from './engine/pairs/multiple-testing.ts';
const k = await loadKernels();
for (const m of [500]) for (const seed of [20261124, 1, 2, 3, 4, 5]) {
  const walk = (stream: number) => { const z = normals(k, m, seed, stream); const p = new Float64Array(m); let l = Math.log(100); for (let t = 0; t < m; t++) p[t] = Math.exp((l += 0.01 * z[t])); return p; };
  const raw: number[] = [];
  for (let i = 0; i < 190; i++) raw.push(engleGranger(k, walk(2 * i), walk(2 * i + 1)).pValue);
  console.log(m, seed, raw.filter((p) => p < 0.05).length, raw.filter((p) => p < 0.1).length, Math.min(...benjaminiHochberg(raw)).toFixed(3), Math.min(...raw));
}
