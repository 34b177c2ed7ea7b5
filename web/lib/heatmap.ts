/**
 * Heatmap colouring of funding carry: cost (negative) → red, income (positive) → green, with an
 * intensity proportional to |value| / max |value| of the column. Returns a CSS colour using the
 * theme's `--heat-cost` / `--heat-income` custom properties so dark and light themes both work.
 */

/** Mix percentage (0–70) of the heat colour for `value` in a column whose largest |value| is `maxAbs`. */
export function heatIntensity(value: number, maxAbs: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(maxAbs) || maxAbs <= 0 || value === 0) return 0;
  return Math.round(Math.min(1, Math.abs(value) / maxAbs) * 70);
}

/** CSS background for a carry cell (`transparent` for 0 / missing). */
export function heatColor(value: number, maxAbs: number): string {
  const pct = heatIntensity(value, maxAbs);
  if (pct === 0) return 'transparent';
  const tone = value < 0 ? 'var(--heat-cost)' : 'var(--heat-income)';
  return `color-mix(in oklab, ${tone} ${pct}%, transparent)`;
}

/** Largest finite |value|, 0 for none. */
export function maxAbs(values: Iterable<number>): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}
