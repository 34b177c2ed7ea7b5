import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeUnprintable, MAX_QUOTED, mention, Messages, quote } from './errors.ts';

const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('quote', () => {
  it('writes a value in double quotes on one line, control characters escaped', () => {
    expect(quote('abc')).toBe('"abc"');
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quote('A\u001b[31mB\nC\u0000')).toBe('"A\\u001b[31mB\\nC\\u0000"');
    expect(quote('\u009b2J \u2028 \u202eevil')).toBe('"\\u009b2J \\u2028 \\u202eevil"');
  });

  it('cuts a long value to MAX_QUOTED characters, saying how long it was', () => {
    expect(quote('x'.repeat(5_000_000))).toBe(`"${'x'.repeat(MAX_QUOTED)}… (5000000 characters)"`);
    // never half a surrogate pair at the cut
    const emoji = `${'a'.repeat(MAX_QUOTED - 1)}😀tail`;
    expect(quote(emoji)).toBe(`"${'a'.repeat(MAX_QUOTED - 1)}… (${emoji.length} characters)"`);
  });

  it('never lets an unprintable character through and stays short, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        const q = quote(s);
        expect(q).not.toMatch(UNPRINTABLE);
        expect(q.length).toBeLessThan(MAX_QUOTED * 6 + 40);
      }),
    );
  });
});

describe('mention', () => {
  it('leaves plain tickers, options and paths bare and quotes anything else', () => {
    for (const name of ['AAPL', '^IRX', 'BRK.B', 'BF-B', 'ES=F', '--book', 'data/book.csv', '/tmp/a_b/c.csv']) expect(mention(name)).toBe(name);
    expect(mention('my book.csv')).toBe('"my book.csv"');
    expect(mention('')).toBe('""');
    expect(mention('AA\u001b[31mPL')).toBe('"AA\\u001b[31mPL"');
    expect(mention('A'.repeat(MAX_QUOTED + 1))).toBe(`"${'A'.repeat(MAX_QUOTED)}… (${MAX_QUOTED + 1} characters)"`);
  });

  it('is safe for any value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(mention(s)).not.toMatch(UNPRINTABLE);
      }),
    );
  });
});

describe('escapeUnprintable', () => {
  it('escapes only unprintable characters, as JSON writes them', () => {
    expect(escapeUnprintable('plain text, ünïcödé, 😀')).toBe('plain text, ünïcödé, 😀');
    expect(escapeUnprintable('a\tb\r\nc\u001b[0m\u007f\u0085')).toBe('a\\tb\\r\\nc\\u001b[0m\\u007f\\u0085');
  });
});

describe('messages carrying user values', () => {
  it('mention tickers, columns and paths instead of pasting them', () => {
    const evil = 'X\u001b]0;pwned\u0007';
    for (const message of [
      Messages.missingPrice(evil, 'hint'),
      Messages.duplicateTicker('the book', evil),
      Messages.unknownBorrowTicker(evil),
      Messages.csvCell(Messages.csvFile('book', evil), 2, evil, 'problem', evil),
      Messages.csvFile('prices', `${evil}.csv`),
      Messages.cannotRead('--book', evil, 'no such file'),
      Messages.cannotWrite(evil, 'permission denied'),
      Messages.unknownCommand(evil, ['funding']),
      Messages.unknownOption(`--${evil}`, 'funding', ['--book']),
      Messages.unexpectedArgument(evil, 'funding'),
      Messages.rateQuote(evil, evil, 'problem'),
      Messages.badSeed(evil),
    ]) {
      expect(message).not.toMatch(UNPRINTABLE);
      expect(message).toContain('\\u001b');
    }
  });
});
