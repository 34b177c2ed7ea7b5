/** Small helpers over one column of a market table. Missing values are `NaN`, never 0. */

/**
 * Index of the last value of `values` that is finite (and passes `accept`, e.g. `p > 0` for
 * prices), or −1 when there is none. The one "last good value" rule of the project: the last
 * close that prices a book, the ^IRX quote behind the RFR, the last point of a chart legend.
 */
export function lastFiniteIndex(values: ArrayLike<number>, accept: (v: number) => boolean = () => true): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i]) && accept(values[i])) return i;
  return -1;
}
