import { describe, expect, it } from 'vitest';
import { fmt, inputText, makeFormat, payReceive } from './format.ts';
import { parseNumber } from './parse.ts';

const M = '\u2212';
const paren = makeFormat('parentheses');

describe('the formatting standard', () => {
  it('writes negatives with a true minus, or parentheses when chosen', () => {
    expect(fmt.money(-188144.3)).toBe(`${M}188,144`);
    expect(paren.money(-188144.3)).toBe('(188,144)');
    expect(fmt.money2(-11.149)).toBe(`${M}11.15`);
    expect(fmt.pct(-0.101631)).toBe(`${M}10.16%`);
    expect(paren.pct(-0.101631)).toBe('(10.16)%');
  });

  it('never shows −0, whatever rounds to zero', () => {
    for (const v of [-0, -1e-300, -0.004]) {
      expect(fmt.money2(v)).toBe('0.00');
      expect(fmt.money(v)).toBe('0');
      expect(fmt.pct(v / 100)).toBe('0.00%');
      expect(paren.money(v)).toBe('0');
    }
    expect(fmt.pct(-0)).toBe('0.00%');
  });

  it('shows NaN and ±Infinity as a dash, never 0', () => {
    for (const v of [NaN, Infinity, -Infinity]) {
      expect(fmt.money(v)).toBe('—');
      expect(fmt.moneyCompact(v)).toBe('—');
      expect(fmt.pct(v)).toBe('—');
      expect(fmt.times(v)).toBe('—');
      expect(fmt.price(v)).toBe('—');
    }
  });

  it('keeps KPI cards short: compact units, scientific past 10^15, tiny values as 0', () => {
    expect(fmt.moneyCompact(1_851_204)).toBe('USD 1.85M');
    expect(fmt.moneyCompact(-4068.07)).toBe(`USD ${M}4.07K`);
    expect(fmt.moneyCompact(999)).toBe('USD 999');
    expect(fmt.moneyCompact(-11.149, 'USD', 2)).toBe(`USD ${M}11.15`);
    expect(fmt.moneyCompact(1e300)).toBe('USD 1.00e300');
    expect(fmt.moneyCompact(-1e300)).toBe(`USD ${M}1.00e300`);
    expect(fmt.moneyCompact(1e-300)).toBe('USD 0');
    expect(fmt.times(1e300)).toBe('1.00e300×');
    for (const v of [1e300, -1e300, 1e15, 123456789012345, 1e-300]) expect(fmt.moneyCompact(v).length).toBeLessThanOrEqual(14);
  });

  it('labels chart axes compactly without a currency code, and counts whole', () => {
    expect(fmt.compact(-150_000)).toBe(`${M}150K`);
    expect(paren.compact(-150_000)).toBe('(150K)');
    expect(fmt.compact(2_500_000)).toBe('2.5M');
    expect(fmt.compact(-12.5)).toBe(`${M}12.5`);
    expect(fmt.compact(-1e-11)).toBe('0'); // float noise on an axis tick is no −0
    expect(fmt.compact(NaN)).toBe('—');
    expect(fmt.count(1_000_000)).toBe('1,000,000');
    expect(fmt.count(-0.3)).toBe('0');
    expect(fmt.num(0.45213, 3)).toBe('0.452');
    expect(paren.num(-1.3)).toBe('(1.30)');
    expect(fmt.num(-0.0004, 3)).toBe('0.000');
  });

  it('shows a price below a cent as it is used, and prices with cents otherwise', () => {
    expect(fmt.price(277.02)).toBe('277.02');
    expect(fmt.price(0.0001)).toBe('0.0001');
    expect(fmt.price(1234.5)).toBe('1,234.50');
  });

  it('puts the currency code on stand-alone money', () => {
    expect(fmt.moneyCode(1_000_000)).toBe('USD 1,000,000');
    expect(fmt.moneyCode(-5, 'EUR', 2)).toBe(`EUR ${M}5.00`);
  });

  it('words funding rates as pay or receive', () => {
    expect(payReceive(0.041, 'long')).toBe('pays 4.10%');
    expect(payReceive(0.0295, 'short')).toBe('receives 2.95%');
    expect(payReceive(-0.2165, 'short')).toBe('pays 21.65%');
    expect(payReceive(NaN, 'flat')).toBe('—');
  });

  it('writes input text grouped and at full precision, and reads it back exactly', () => {
    for (const v of [1_000_000, -1200, 277.02, 0.0001, 3.6, 1e9, -0]) {
      const text = inputText(v);
      const back = parseNumber(text, 'x');
      expect(back.ok && back.value).toBe(v === 0 ? 0 : v);
    }
    expect(inputText(1_000_000)).toBe('1,000,000');
    expect(inputText(-1200)).toBe('-1,200');
    expect(inputText(-0)).toBe('0');
    expect(inputText(NaN)).toBe('');
  });
});
