import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './args.ts';
import { AstraError } from '../engine/errors.ts';
import type { Command, Io } from './command.ts';
import { COMMANDS, main } from './main.ts';
import { fundingCommand, parseBorrowOverrides } from './commands/funding.ts';
import { runBinary, runInProcess, runTsxEntry } from './test-helpers.ts';

describe('astra command dispatch', () => {
  it('lists the commands on --help and exits 0', async () => {
    const r = await runInProcess(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name);
    const help = await runInProcess(['funding', '--help']);
    expect(help.code).toBe(0);
    for (const option of ['--book FILE', '--prices FILE', '--rfr', '--equity', '--borrow', '--json']) expect(help.stdout).toContain(option);
  });

  it('exits 2 naming an unknown command and listing the known ones', async () => {
    const r = await runInProcess(['fundng']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('astra: unknown command "fundng" (commands: funding, stats, var, optimize, demo-data, pairs, scan)\n');
    const none = await runInProcess([]);
    expect(none).toMatchObject({ code: 2, stdout: '' });
    expect(none.stderr).toContain('funding, stats, var, optimize, demo-data, pairs, scan');
  });

  it('exits 2 on stray arguments, flags with values they do not take and options missing a value', async () => {
    const stray = await runInProcess(['funding', 'book.csv']);
    expect(stray).toMatchObject({ code: 2, stdout: '' });
    expect(stray.stderr).toContain('unexpected argument "book.csv"');
    const flag = await runInProcess(['funding', '--json=yes']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--json takes no value');
    const value = await runInProcess(['funding', '--book']);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('--book needs a value');
  });

  it('runs as bin/astra.js and as `tsx cli/main.ts` (npm run astra)', () => {
    for (const r of [runBinary(['fundng']), runTsxEntry(['fundng'])]) {
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toContain('astra: unknown command "fundng"');
    }
    const help = runTsxEntry(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: astra <command>');
  });
});

describe('what the user typed is shown safely in messages', () => {
  it('names the exact word at fault, quoted, even when it holds a quote or escape codes', async () => {
    const quoteInside = await runInProcess(['funding', "it's"]);
    expect(quoteInside.stderr).toBe(`astra: unexpected argument "it's" for 'funding'\n`);
    const afterTerminator = await runInProcess(['funding', '--', '--book']);
    expect(afterTerminator.stderr).toContain('unexpected argument "--book"');
    const escape = await runInProcess(['funding', '--bo\u001b[2Jgus']);
    expect(escape.stderr).toContain('unknown option "--bo\\u001b[2Jgus"');
    const command = await runInProcess(['fund\u001b]0;x\u0007']);
    expect(command.stderr).toContain('unknown command "fund\\u001b]0;x\\u0007"');
    const ambiguous = await runInProcess(['funding', '--book', '--json']);
    expect(ambiguous.stderr).toContain('option --book needs a value');
    for (const r of [quoteInside, afterTerminator, escape, command, ambiguous]) {
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    }
  });
});

describe('exit code 1 for internal errors', () => {
  function failing(error: unknown): Command {
    return { name: 'boom', summary: 'fails', options: {}, run: () => Promise.reject(error) };
  }
  async function run(error: unknown, argv = ['boom']) {
    let stdout = '';
    let stderr = '';
    const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: '.' };
    const code = await main(argv, io, [failing(error)]);
    return { code, stdout, stderr };
  }

  it('exits 1 on a bug, saying it is internal', async () => {
    expect(await run(new TypeError('x is undefined'))).toEqual({ code: 1, stdout: '', stderr: 'astra: internal error: x is undefined\n' });
  });

  it('prints any message on one line, escaped and capped', async () => {
    const r = await run(new Error(`line 1\nline 2\u001b[2J${'x'.repeat(1_000_000)}`));
    expect(r.code).toBe(1);
    expect(r.stderr.startsWith('astra: internal error: line 1\\nline 2\\u001b[2Jxxx')).toBe(true);
    expect(r.stderr.length).toBeLessThan(2100);
    expect(r.stderr.trimEnd()).not.toContain('\n');
  });

  it('exits 1 when the wasm build is missing, 2 for other AstraErrors', async () => {
    const missing = await run(new AstraError('WASM_LOAD', 'could not load the kernels'), ['boom', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr.split('\n')[1]).error.code).toBe('WASM_LOAD');
    expect((await run(new AstraError('MISSING_PRICE', 'no price for X'))).code).toBe(2);
  });
});

describe('parseCommandArgs', () => {
  it('takes a negative number as the value of a string option', () => {
    expect(parseCommandArgs(fundingCommand, ['--rfr', '-0.001', '--json'])).toMatchObject({ rfr: '-0.001', json: true });
    expect(parseCommandArgs(fundingCommand, ['--borrow', 'A=1', '--borrow', 'B=2']).borrow).toEqual(['A=1', 'B=2']);
  });
});

describe('parseBorrowOverrides', () => {
  it('reads comma lists and repeated flags, and rejects malformed or duplicate entries', () => {
    expect(parseBorrowOverrides(['GME=2500,AMC=1500.5', 'BBBY = 900'])).toEqual({ GME: 2500, AMC: 1500.5, BBBY: 900 });
    expect(() => parseBorrowOverrides(['GME=-1'])).toThrow(/"GME=-1"/);
    expect(() => parseBorrowOverrides(['GME=1', 'GME=2'])).toThrow(/GME more than once/);
  });
});
