/**
 * Φ(x), the standard normal CDF, to full *relative* precision in both tails: a p-value of 1e-30
 * keeps its digits (`normalCdf` in normal.ts is accurate to ~1e-15 *absolute*, which is all a
 * quantile or a VaR needs, but 0.5 + (tiny) loses a far tail). NaN in → NaN out.
 *
 * Method: W. J. Cody's rational Chebyshev approximations (Cody 1969, "Rational Chebyshev
 * approximations for the error function", Math. Comp. 23, 631–637; the coefficients of his ANORM
 * routine, as published in ACM TOMS Algorithm 715, 1993), on three intervals of |x|:
 * - |x| ≤ 0.67448975 (the quartile): Φ = ½ + x·R₁(x²);
 * - |x| ≤ √32: the tail Q = exp(−x²/2)·R₂(|x|);
 * - beyond: Q = exp(−x²/2)/|x| · (1/√(2π) − R₃(1/x²)/x²).
 * exp(−x²/2) is evaluated as exp(−s²/2)·exp(−(x−s)(x+s)/2) with s = x rounded down to 1/16, so
 * the square of a large x costs no digits. The lower tail is Q at −|x|; the upper 1 − Q.
 */

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

const INV_SQRT_2PI = 0.39894228040143267794;
const QUARTILE = 0.67448975;
const SQRT_32 = 5.656854249492380195;
/** Beyond this |x| the lower tail underflows to 0 (Cody's bound). */
const UNDERFLOW = 37.5193;

/** exp(−x²/2) without losing digits to the rounding of x² (x ≥ 0). */
function gaussianFactor(x: number): number {
  const s = Math.trunc(x * 16) / 16;
  return Math.exp(-s * s * 0.5) * Math.exp(-(x - s) * (x + s) * 0.5);
}

/** Q(y) = P(Z > y) for y > QUARTILE. */
function upperTail(y: number): number {
  if (y <= SQRT_32) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return gaussianFactor(y) * ((num + C[7]) / (den + D[7]));
  }
  if (y >= UNDERFLOW) return 0;
  const r = 1 / (y * y);
  let num = P[5] * r;
  let den = r;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * r;
    den = (den + Q[i]) * r;
  }
  const rational = (r * (num + P[4])) / (den + Q[4]);
  return (gaussianFactor(y) * (INV_SQRT_2PI - rational)) / y;
}

/** Φ(x) with full relative precision in the lower tail (see the module comment). */
export function normalCdfPrecise(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= QUARTILE) {
    let num = 0;
    let den = 0;
    if (y > 1.1102230246251565e-16) {
      const s = x * x;
      num = A[4] * s;
      den = s;
      for (let i = 0; i < 3; i++) {
        num = (num + A[i]) * s;
        den = (den + B[i]) * s;
      }
    }
    return 0.5 + (x * (num + A[3])) / (den + B[3]);
  }
  const tail = upperTail(y);
  return x < 0 ? tail : 1 - tail;
}
