import { describe, expect, it } from 'vitest';
import {
  CHART_COLOURS,
  SERIES_PALETTE,
  contrastRatio,
  deltaE2000,
  deltaE2000Lab,
  hueGap,
  seriesColour,
  similarColours,
  toOklch,
} from './palette.ts';
import type { Theme } from './theme.ts';

const THEMES: Theme[] = ['dark', 'light'];

describe('colour arithmetic', () => {
  it('matches reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
    expect(deltaE2000('#000000', '#ffffff')).toBeCloseTo(100, 3);
    // Sharma, Wu & Dalal (2005), test data pairs 1, 7, 17 and 25.
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000Lab([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000Lab([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
    expect(deltaE2000('#3a7bd5', '#3a7bd5')).toBe(0);
    // oklch(62.8% 0.2577 29.23) is sRGB red (CSS Color 4).
    const [L, C, h] = toOklch('#ff0000');
    expect(L).toBeCloseTo(0.628, 3);
    expect(C).toBeCloseTo(0.2577, 3);
    expect(h).toBeCloseTo(29.23, 1);
    expect(hueGap('#808080', '#ff0000')).toBe(Infinity);
  });

  it('calls the old palette’s two blues (AAPL and MS) similar, though their ΔE2000 is 22', () => {
    expect(deltaE2000('#56b4e9', '#0072b2')).toBeGreaterThan(20);
    expect(similarColours('#56b4e9', '#0072b2')).toContain('same hue');
    expect(similarColours('#e69f00', '#a6761d')).not.toBeNull(); // its orange and ochre
    expect(similarColours('#53a0ff', '#ff9a3f')).toBeNull();
  });
});

describe('series palette', () => {
  it.each(THEMES)('has twelve pairwise distinct colours in the %s theme', (theme) => {
    const palette = SERIES_PALETTE[theme];
    expect(palette).toHaveLength(12);
    const problems: string[] = [];
    for (let i = 0; i < palette.length; i++) {
      for (let j = i + 1; j < palette.length; j++) {
        const why = similarColours(palette[i], palette[j]);
        if (why) problems.push(`${i}/${j}: ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(THEMES)('keeps every line at 3:1 contrast or more with the %s chart background', (theme) => {
    const { background, nav, gain, loss, neutral, threshold } = CHART_COLOURS[theme];
    for (const colour of [...SERIES_PALETTE[theme], nav, gain, loss, neutral, threshold]) {
      expect(contrastRatio(colour, background), colour).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives a series the same colour name in both themes', () => {
    SERIES_PALETTE.dark.forEach((dark, j) => {
      const light = SERIES_PALETTE.light[j];
      const gap = hueGap(dark, light);
      if (gap !== Infinity) expect(gap, `${dark} / ${light}`).toBeLessThan(8);
      else expect(toOklch(dark)[1] < 0.05 && toOklch(light)[1] < 0.05).toBe(true);
    });
  });

  it('keeps the risk charts’ VaR line, tail and ordinary bars apart', () => {
    for (const theme of THEMES) {
      const { loss, neutral, threshold, nav } = CHART_COLOURS[theme];
      expect([similarColours(threshold, loss), similarColours(threshold, neutral), similarColours(loss, neutral), similarColours(nav, loss)]).toEqual([
        null, null, null, null,
      ]);
    }
  });

  it('keeps the book chart’s gain, loss and NAV colours apart', () => {
    for (const theme of THEMES) {
      const { nav, gain, loss } = CHART_COLOURS[theme];
      expect([similarColours(nav, gain), similarColours(nav, loss), similarColours(gain, loss)]).toEqual([null, null, null]);
    }
  });

  it('cycles past twelve', () => {
    expect(seriesColour(0, 'dark')).toBe(SERIES_PALETTE.dark[0]);
    expect(seriesColour(12, 'light')).toBe(SERIES_PALETTE.light[0]);
    expect(seriesColour(5, 'light')).toBe(SERIES_PALETTE.light[5]);
  });
});
