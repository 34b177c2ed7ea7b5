/** `astra demo-data --out DIR`: write the embedded demo market as prices.csv, bars.csv, book.csv. */
import { resolve } from 'node:path';
import { AstraError, Messages } from '../../engine/errors.ts';
import { barsToCsv, bookToCsv, pricesToCsv } from '../../engine/csv.ts';
import { stringOption } from '../args.ts';
import type { Command, CommandOutput, OptionValues } from '../command.ts';
import { demoMarket } from '../demo.ts';
import { writeFiles } from '../files.ts';
import { formatTable, printable } from '../table.ts';

/** The `demo-data` command. */
export const demoDataCommand: Command = {
  name: 'demo-data',
  summary: 'write the embedded demo market as prices.csv, bars.csv and book.csv',
  options: {
    out: { type: 'string', value: 'DIR', help: 'directory to write into (created if missing; files are overwritten)' },
  },
  async run(values: OptionValues, io): Promise<CommandOutput> {
    const out = stringOption(values, 'out');
    if (out === undefined) throw new AstraError('BAD_INPUT', Messages.missingOption('--out DIR', 'demo-data'), { option: '--out' });
    const demo = await demoMarket();
    const files = [
      { name: 'prices.csv', kind: 'prices', text: pricesToCsv(demo.prices), rows: demo.prices.dates.length, columns: demo.prices.tickers },
      { name: 'bars.csv', kind: 'bars', text: barsToCsv(demo.bars), rows: demo.bars.timestamps.length, columns: demo.bars.tickers },
      { name: 'book.csv', kind: 'book', text: bookToCsv(demo.book), rows: demo.book.length, columns: ['ticker', 'shares', 'price'] },
    ];
    const paths = await writeFiles(out, io.cwd, Object.fromEntries(files.map((f) => [f.name, f.text])));
    const written = files.map((f, i) => ({ file: f.name, path: paths[i], kind: f.kind, rows: f.rows, columns: f.columns }));
    const text =
      `Wrote ${demo.label} to ${printable(out)}\n\n` +
      formatTable(
        [{ header: 'File' }, { header: 'Rows', align: 'right' }, { header: 'Columns' }],
        written.map((w) => [w.file, String(w.rows), w.columns.join(', ')]),
      );
    return { json: { label: demo.label, out: resolve(io.cwd, out), files: written }, text };
  },
};
