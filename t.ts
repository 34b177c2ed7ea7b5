import { loadKernels } from './engine/node.ts';
import { generateDemoMarket } from './engine/demo.ts';
const k = await loadKernels();
const d = generateDemoMarket(k);
const m = 5850;
k.reset();
const cols = d.bars.closes.map((c) => ({ p: k.putF64(c.subarray(0, m)), l: k.putF64(Array.from(c.subarray(0, m), Math.log)) }));
const work = k.allocF64(k.exports.engleGrangerWork(m, 40));
const out = k.allocF64(10);
for (const [K, fixed] of [[0, 1], [33, 1], [33, 0], [33, 0]]) {
  const t0 = performance.now();
  let n = 0;
  for (let r = 0; r < 10; r++) for (let i = 0; i < 10; i++) for (let j = i + 1; j < 10; j++) {
    k.exports.engleGranger(cols[i].p, cols[j].p, cols[i].l, cols[j].l, m, K, fixed, work, out); n++;
  }
  console.log(K, fixed, ((performance.now() - t0) / n * 1000).toFixed(1), 'µs/pair');
}
