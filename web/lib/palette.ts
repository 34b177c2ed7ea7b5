/**
 * Chart colours, one set per theme, and the colour arithmetic that proves the series colours are
 * distinct (palette.test.ts). Pure: no DOM.
 *
 * Series colours are designed in OKLCH: twelve colour names (blue, orange, green, red, violet,
 * yellow, cyan, magenta, grey, teal, lime, pink), in that order so the first few are the most
 * different from one another. Each name has a lighter variant for the dark theme and a darker one
 * for the light theme, so a ticker keeps its colour name when the theme changes and every line
 * keeps at least 3:1 contrast with the chart background (WCAG 1.4.11, non-text contrast).
 *
 * "Distinct" is tested, not eyeballed, with {@link similarColours}: two colours are similar when
 * their CIEDE2000 difference is under {@link MIN_DELTA_E}, or when both are chromatic and their
 * OKLCH hues are within {@link MIN_HUE_GAP}° (a light and a dark blue are both "blue" to a reader of
 * thin lines, whatever their ΔE: the old palette's sky blue and blue, AAPL and MS, were 22 apart).
 */
import type { Theme } from './theme.ts';

/** Line colours of the series, by theme; index j is the same colour name in both themes. */
export const SERIES_PALETTE: Readonly<Record<Theme, readonly string[]>> = {
  dark: [
    '#53a0ff', '#ff9a3f', '#2bbb71', '#f14445', '#9776fb', '#ffe354',
    '#58e0f6', '#ff76d8', '#ababab', '#289a8c', '#b2e71e', '#ffb9c6',
  ],
  light: [
    '#0060c1', '#cb6800', '#00793d', '#c21725', '#5b2bb4', '#ab9017',
    '#1590a1', '#c72da2', '#747474', '#0e5951', '#6e9700', '#d86a82',
  ],
};

/** Colours of the chart furniture and of the book chart's own series, by theme. */
export interface ChartColours {
  /** Chart background (the panel colour of app.css). */
  background: string;
  text: string;
  grid: string;
  border: string;
  /** The book's NAV line. */
  nav: string;
  /** Daily P&L bars: gain, loss. */
  gain: string;
  loss: string;
  /** The risk charts: bars that are no exception / not in the tail, and the VaR line and its band. */
  neutral: string;
  threshold: string;
}

export const CHART_COLOURS: Readonly<Record<Theme, ChartColours>> = {
  dark: {
    background: '#161b22', text: '#c9d1d9', grid: '#222a35', border: '#2a3340',
    nav: '#53a0ff', gain: '#3fb950', loss: '#f0605a', neutral: '#7d8a9b', threshold: '#e3b341',
  },
  light: {
    background: '#ffffff', text: '#1f2328', grid: '#eef1f4', border: '#d0d7de',
    nav: '#0060c1', gain: '#1a7f37', loss: '#cf222e', neutral: '#6e7781', threshold: '#9a6700',
  },
};

/** Colour of series `j` in `theme`; cycles after {@link SERIES_PALETTE}'s twelve. */
export function seriesColour(j: number, theme: Theme): string {
  const palette = SERIES_PALETTE[theme];
  return palette[((j % palette.length) + palette.length) % palette.length];
}

// ---- colour arithmetic (sRGB hex → WCAG luminance, CIELAB, OKLCH) ----

/** Smallest CIEDE2000 difference allowed between two series colours of one theme. */
export const MIN_DELTA_E = 15;
/** Smallest OKLCH hue gap, degrees, allowed between two chromatic series colours. */
export const MIN_HUE_GAP = 15;
/** OKLCH chroma under which a colour counts as a grey (its hue means nothing). */
export const ACHROMATIC_CHROMA = 0.05;

/** `#rrggbb` → [r, g, b] in 0…255. */
export function hexToRgb(hex: string): [number, number, number] {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const linear = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

/** WCAG relative luminance. */
export function luminance(hex: string): number {
  const [r, g, b] = hexToRgb(hex).map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1…21). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** CIELAB (D65) of a colour. */
export function toLab(hex: string): [number, number, number] {
  const [r, g, b] = hexToRgb(hex).map(linear);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x), f(y), f(z)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** OKLCH of a colour: [lightness 0…1, chroma, hue in degrees 0…360). */
export function toOklch(hex: string): [number, number, number] {
  const [r, g, b] = hexToRgb(hex).map(linear);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  const L = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  const A = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  const B = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
  const h = (Math.atan2(B, A) * 180) / Math.PI;
  return [L, Math.hypot(A, B), h < 0 ? h + 360 : h];
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/** CIEDE2000 colour difference of two sRGB colours. */
export function deltaE2000(hexA: string, hexB: string): number {
  return deltaE2000Lab(toLab(hexA), toLab(hexB));
}

/** CIEDE2000 difference of two CIELAB colours (Sharma, Wu & Dalal 2005). */
export function deltaE2000Lab([L1, a1, b1]: readonly number[], [L2, a2, b2]: readonly number[]): number {
  const Cbar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
  const a1p = (1 + G) * a1;
  const a2p = (1 + G) * a2;
  const C1p = Math.hypot(a1p, b1);
  const C2p = Math.hypot(a2p, b2);
  const hue = (a: number, b: number) => {
    if (a === 0 && b === 0) return 0;
    const h = (Math.atan2(b, a) * 180) / Math.PI;
    return h < 0 ? h + 360 : h;
  };
  const h1p = hue(a1p, b1);
  const h2p = hue(a2p, b2);
  const dL = L2 - L1;
  const dC = C2p - C1p;
  let dh = 0;
  if (C1p * C2p !== 0) {
    dh = h2p - h1p;
    if (dh > 180) dh -= 360;
    else if (dh < -180) dh += 360;
  }
  const dH = 2 * Math.sqrt(C1p * C2p) * Math.sin(rad(dh / 2));
  const Lbar = (L1 + L2) / 2;
  const Cbarp = (C1p + C2p) / 2;
  let hbar = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) > 180) hbar += hbar < 360 ? 360 : -360;
    hbar /= 2;
  }
  const T =
    1 - 0.17 * Math.cos(rad(hbar - 30)) + 0.24 * Math.cos(rad(2 * hbar)) + 0.32 * Math.cos(rad(3 * hbar + 6)) -
    0.2 * Math.cos(rad(4 * hbar - 63));
  const dTheta = 30 * Math.exp(-(((hbar - 275) / 25) ** 2));
  const RC = 2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7));
  const SL = 1 + (0.015 * (Lbar - 50) ** 2) / Math.sqrt(20 + (Lbar - 50) ** 2);
  const SC = 1 + 0.045 * Cbarp;
  const SH = 1 + 0.015 * Cbarp * T;
  const RT = -Math.sin(rad(2 * dTheta)) * RC;
  return Math.sqrt((dL / SL) ** 2 + (dC / SC) ** 2 + (dH / SH) ** 2 + RT * (dC / SC) * (dH / SH));
}

/** Hue gap in degrees (0…180) of two chromatic colours, `Infinity` when either is a grey. */
export function hueGap(hexA: string, hexB: string): number {
  const [, ca, ha] = toOklch(hexA);
  const [, cb, hb] = toOklch(hexB);
  if (ca < ACHROMATIC_CHROMA || cb < ACHROMATIC_CHROMA) return Infinity;
  const d = Math.abs(ha - hb) % 360;
  return Math.min(d, 360 - d);
}

/** Why two colours would be confused on a chart, or `null` when they are distinct. */
export function similarColours(a: string, b: string): string | null {
  const dE = deltaE2000(a, b);
  if (dE < MIN_DELTA_E) return `${a} and ${b} differ by ΔE2000 ${dE.toFixed(1)} < ${MIN_DELTA_E}`;
  const gap = hueGap(a, b);
  if (gap < MIN_HUE_GAP) return `${a} and ${b} have the same hue (${gap.toFixed(1)}° apart < ${MIN_HUE_GAP}°)`;
  return null;
}
