import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBarsCsv, parseBookCsv, parsePricesCsv } from '../engine/csv.ts';
import { generateDemoMarket } from '../engine/demo.ts';
import type { DemoMarket } from '../engine/demo.ts';
import { loadKernels } from '../engine/node.ts';
import { DEFAULT_RFR } from '../engine/book/rates.ts';
import { runBinary, runInProcess, tempDir } from './test-helpers.ts';

const tmp = tempDir();
let demo: DemoMarket;
beforeAll(async () => {
  demo = generateDemoMarket(await loadKernels());
});
afterAll(() => tmp.remove());

describe('astra demo-data', () => {
  it('writes prices.csv, bars.csv and book.csv that parse back to the demo exactly', async () => {
    const out = join(tmp.dir, 'demo');
    const r = await runInProcess(['demo-data', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { file: string }) => f.file)).toEqual(['prices.csv', 'bars.csv', 'book.csv']);
    expect(report.label).toBe('demo data (synthetic)');

    const prices = parsePricesCsv(readFileSync(join(out, 'prices.csv'), 'utf8'));
    expect(prices.tickers).toContain('^IRX');
    expect(prices).toEqual(demo.prices);
    expect(parseBarsCsv(readFileSync(join(out, 'bars.csv'), 'utf8'))).toEqual(demo.bars);
    const bookText = readFileSync(join(out, 'book.csv'), 'utf8');
    expect(bookText.split('\n')[0]).toBe('ticker,shares,price');
    expect(parseBookCsv(bookText)).toEqual(demo.book);
  });

  it('gives files on which funding equals funding on the embedded demo', async () => {
    const out = join(tmp.dir, 'again');
    expect((await runInProcess(['demo-data', '--out', out])).code).toBe(0);
    const fromFiles = JSON.parse(
      (await runInProcess(['funding', '--book', join(out, 'book.csv'), '--prices', join(out, 'prices.csv'), '--json'])).stdout,
    );
    const embedded = JSON.parse((await runInProcess(['funding', '--json'])).stdout);
    // Both carry ^IRX, so both report the converted quote.
    expect(fromFiles.rfrSource).toBe('^IRX');
    expect(embedded.rfrSource).toBe('^IRX');
    expect(fromFiles.rfr).toBeCloseTo(embedded.rfr, 14);
    expect(fromFiles.positions).toHaveLength(embedded.positions.length);
    fromFiles.positions.forEach((p: Record<string, number | string>, i: number) => {
      const q = embedded.positions[i];
      expect(p).toMatchObject({ ticker: q.ticker, shares: q.shares, price: q.price, side: q.side, notional: q.notional });
      expect(p.daily as number).toBeCloseTo(q.daily, 10);
    });
    expect(fromFiles.totalDaily).toBeCloseTo(embedded.totalDaily, 10);
    expect(fromFiles.totalAnnual).toBeCloseTo(embedded.totalAnnual, 8);
    expect(fromFiles.hurdleRate).toBeCloseTo(embedded.hurdleRate, 14);
  });

  it("uses the demo's RFR as the CLI default", () => {
    expect(demo.rfr).toBe(DEFAULT_RFR);
  });

  it('prints a table of the files it wrote', () => {
    const r = runBinary(['demo-data', '--out', join(tmp.dir, 'table')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('demo data (synthetic)');
    expect(r.stdout).toMatch(/prices\.csv\s+\d+\s+AAPL, MSFT, .*\^IRX/);
    expect(r.stdout).toMatch(/book\.csv\s+5\s+ticker, shares, price/);
    expect(r.stdout).toMatch(/bars\.csv\s+11700\s+JPM, C, BAC, WFC, GS, MS, USB, PNC, TFC, SCHW\n/);
  });

  it('exits 2 without --out or when it cannot write there', async () => {
    const missing = await runInProcess(['demo-data']);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toContain('--out');
    const blocker = join(tmp.dir, 'a-file');
    writeFileSync(blocker, 'x');
    const blocked = await runInProcess(['demo-data', '--out', blocker]);
    expect(blocked).toMatchObject({ code: 2, stdout: '' });
    expect(blocked.stderr).toContain(`cannot write ${blocker}`);
  });
});
