import { loadKernels } from './engine/node.ts';
import { scanPairs, planScan, scanBlock, combineScan } from './engine/pairs/scan.ts';
import { benchUniverse } from './bench/pair-scan.ts';
const k = await loadKernels();
const bars = benchUniverse(k);
const cpu = (f: () => void) => { const c0 = process.cpuUsage(); const t0 = performance.now(); f(); const c = process.cpuUsage(c0); return `${((c.user + c.system) / 1000).toFixed(1)} cpu / ${(performance.now() - t0).toFixed(1)} wall`; };
for (let r = 0; r < 6; r++) {
  let plan: any;
  const a = cpu(() => { plan = planScan(bars, { top: 0 }); });
  const times: string[] = [];
  let res: any[] = [];
  const b = cpu(() => { res = plan.blocks.map((bl: any) => scanBlock(k, bl)); });
  const c = cpu(() => combineScan(plan, res));
  console.log('plan', a, 'blocks', b, 'combine', c, 'mem', (k.exports.memory.buffer.byteLength / 1e6).toFixed(0), 'MB');
}
