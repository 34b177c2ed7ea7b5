// Eigen-decomposition of a real symmetric matrix: Householder reduction to tridiagonal form, then
// the implicit QL algorithm with Wilkinson-style shifts. This is the EISPACK tred2/tql2 pair as
// JAMA (public domain, NIST/MathWorks) writes it, with one change: the eigenvector matrix V is
// stored transposed (z[j][k] = V[k][j]), so the inner loops — the Householder updates and the QL
// plane rotations — run along contiguous memory. O(n³); about 10n³ flops with the vectors.
import { STATUS_OK, STATUS_NON_FINITE_INPUT, STATUS_BAD_SIZE, STATUS_NO_CONVERGENCE, fail } from '../util/status';

/** QL iterations allowed per eigenvalue (EISPACK's limit is 30; typical use is 1–3). */
const MAX_ITERATIONS: i32 = 60;

/** V[a][b] of the JAMA code, stored at z[b][a]. */
@inline function vAt(z: usize, n: i32, a: i32, b: i32): usize {
  return z + ((<usize>b * <usize>n + <usize>a) << 3);
}

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

@inline function hypot(a: f64, b: f64): f64 {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const r = y / x;
    return x * Math.sqrt(1.0 + r * r);
  }
  if (y == 0.0) return 0.0;
  const r = x / y;
  return y * Math.sqrt(1.0 + r * r);
}

function tred2(z: usize, n: i32, d: usize, e: usize): void {
  for (let j = 0; j < n; j++) store<f64>(at(d, j), load<f64>(vAt(z, n, n - 1, j)));
  for (let i = n - 1; i > 0; i--) {
    let scale = 0.0;
    let h = 0.0;
    for (let k = 0; k < i; k++) scale += Math.abs(load<f64>(at(d, k)));
    if (scale == 0.0) {
      store<f64>(at(e, i), load<f64>(at(d, i - 1)));
      for (let j = 0; j < i; j++) {
        store<f64>(at(d, j), load<f64>(vAt(z, n, i - 1, j)));
        store<f64>(vAt(z, n, i, j), 0.0);
        store<f64>(vAt(z, n, j, i), 0.0);
      }
    } else {
      for (let k = 0; k < i; k++) {
        const dk = load<f64>(at(d, k)) / scale;
        store<f64>(at(d, k), dk);
        h += dk * dk;
      }
      let f = load<f64>(at(d, i - 1));
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      store<f64>(at(e, i), scale * g);
      h -= f * g;
      store<f64>(at(d, i - 1), f - g);
      for (let j = 0; j < i; j++) store<f64>(at(e, j), 0.0);
      for (let j = 0; j < i; j++) {
        f = load<f64>(at(d, j));
        store<f64>(vAt(z, n, j, i), f);
        g = load<f64>(at(e, j)) + load<f64>(vAt(z, n, j, j)) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const vkj = load<f64>(vAt(z, n, k, j));
          g += vkj * load<f64>(at(d, k));
          store<f64>(at(e, k), load<f64>(at(e, k)) + vkj * f);
        }
        store<f64>(at(e, j), g);
      }
      f = 0.0;
      for (let j = 0; j < i; j++) {
        const ej = load<f64>(at(e, j)) / h;
        store<f64>(at(e, j), ej);
        f += ej * load<f64>(at(d, j));
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) store<f64>(at(e, j), load<f64>(at(e, j)) - hh * load<f64>(at(d, j)));
      for (let j = 0; j < i; j++) {
        f = load<f64>(at(d, j));
        g = load<f64>(at(e, j));
        for (let k = j; k <= i - 1; k++) {
          const p = vAt(z, n, k, j);
          store<f64>(p, load<f64>(p) - (f * load<f64>(at(e, k)) + g * load<f64>(at(d, k))));
        }
        store<f64>(at(d, j), load<f64>(vAt(z, n, i - 1, j)));
        store<f64>(vAt(z, n, i, j), 0.0);
      }
    }
    store<f64>(at(d, i), h);
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    store<f64>(vAt(z, n, n - 1, i), load<f64>(vAt(z, n, i, i)));
    store<f64>(vAt(z, n, i, i), 1.0);
    const h = load<f64>(at(d, i + 1));
    if (h != 0.0) {
      for (let k = 0; k <= i; k++) store<f64>(at(d, k), load<f64>(vAt(z, n, k, i + 1)) / h);
      for (let j = 0; j <= i; j++) {
        let g = 0.0;
        for (let k = 0; k <= i; k++) g += load<f64>(vAt(z, n, k, i + 1)) * load<f64>(vAt(z, n, k, j));
        for (let k = 0; k <= i; k++) {
          const p = vAt(z, n, k, j);
          store<f64>(p, load<f64>(p) - g * load<f64>(at(d, k)));
        }
      }
    }
    for (let k = 0; k <= i; k++) store<f64>(vAt(z, n, k, i + 1), 0.0);
  }
  for (let j = 0; j < n; j++) {
    store<f64>(at(d, j), load<f64>(vAt(z, n, n - 1, j)));
    store<f64>(vAt(z, n, n - 1, j), 0.0);
  }
  store<f64>(vAt(z, n, n - 1, n - 1), 1.0);
  store<f64>(at(e, 0), 0.0);
}

/** Returns -1 on success, else the index l of the eigenvalue that did not converge. */
function tql2(z: usize, n: i32, d: usize, e: usize): i32 {
  for (let i = 1; i < n; i++) store<f64>(at(e, i - 1), load<f64>(at(e, i)));
  store<f64>(at(e, n - 1), 0.0);
  let f = 0.0;
  let tst1 = 0.0;
  const eps = Math.pow(2.0, -52.0);
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(load<f64>(at(d, l))) + Math.abs(load<f64>(at(e, l))));
    let m = l;
    while (m < n) {
      if (Math.abs(load<f64>(at(e, m))) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITERATIONS) return l;
        let g = load<f64>(at(d, l));
        const el = load<f64>(at(e, l));
        let p = (load<f64>(at(d, l + 1)) - g) / (2.0 * el);
        let r = hypot(p, 1.0);
        if (p < 0) r = -r;
        store<f64>(at(d, l), el / (p + r));
        store<f64>(at(d, l + 1), el * (p + r));
        const dl1 = load<f64>(at(d, l + 1));
        let h = g - load<f64>(at(d, l));
        for (let i = l + 2; i < n; i++) store<f64>(at(d, i), load<f64>(at(d, i)) - h);
        f += h;
        p = load<f64>(at(d, m));
        let c = 1.0;
        let c2 = c;
        let c3 = c;
        const el1 = load<f64>(at(e, l + 1));
        let s = 0.0;
        let s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(at(e, i));
          g = c * ei;
          h = c * p;
          r = hypot(p, ei);
          store<f64>(at(e, i + 1), s * r);
          s = ei / r;
          c = p / r;
          const di = load<f64>(at(d, i));
          p = c * di - s * g;
          store<f64>(at(d, i + 1), h + s * (c * g + s * di));
          // Rotate eigenvectors i and i+1: two contiguous rows of z.
          const zi = z + ((<usize>i * <usize>n) << 3);
          const zi1 = zi + (<usize>n << 3);
          const vc = f64x2.splat(c);
          const vs = f64x2.splat(s);
          let k = 0;
          for (; k + 2 <= n; k += 2) {
            const off = <usize>k << 3;
            const a = v128.load(zi + off);
            const b = v128.load(zi1 + off);
            v128.store(zi1 + off, f64x2.add(f64x2.mul(vs, a), f64x2.mul(vc, b)));
            v128.store(zi + off, f64x2.sub(f64x2.mul(vc, a), f64x2.mul(vs, b)));
          }
          if (k < n) {
            const off = <usize>k << 3;
            const a = load<f64>(zi + off);
            const b = load<f64>(zi1 + off);
            store<f64>(zi1 + off, s * a + c * b);
            store<f64>(zi + off, c * a - s * b);
          }
        }
        p = (-s * s2 * c3 * el1 * load<f64>(at(e, l))) / dl1;
        store<f64>(at(e, l), s * p);
        store<f64>(at(d, l), c * p);
      } while (Math.abs(load<f64>(at(e, l))) > eps * tst1);
    }
    store<f64>(at(d, l), load<f64>(at(d, l)) + f);
    store<f64>(at(e, l), 0.0);
  }
  // Sort ascending, moving eigenvector rows along.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = load<f64>(at(d, i));
    for (let j = i + 1; j < n; j++) {
      const dj = load<f64>(at(d, j));
      if (dj < p) {
        k = j;
        p = dj;
      }
    }
    if (k != i) {
      store<f64>(at(d, k), load<f64>(at(d, i)));
      store<f64>(at(d, i), p);
      const zi = z + ((<usize>i * <usize>n) << 3);
      const zk = z + ((<usize>k * <usize>n) << 3);
      for (let j = 0; j < n; j++) {
        const t = load<f64>(zi + (<usize>j << 3));
        store<f64>(zi + (<usize>j << 3), load<f64>(zk + (<usize>j << 3)));
        store<f64>(zk + (<usize>j << 3), t);
      }
    }
  }
  return -1;
}

/**
 * Eigenvalues and eigenvectors of the symmetric n×n matrix at `a` (row-major; only its lower
 * triangle is read). On return `values` (n f64) holds the eigenvalues in ascending order and
 * `vectors` (n×n, row-major) holds the matching unit eigenvectors as ROWS: row j is the
 * eigenvector of values[j], so A = Σ_j values[j]·v_j·v_jᵀ. `work` is scratch for n f64.
 * `a` may be the same buffer as `vectors` (it is copied first) but not `values` or `work`.
 * Returns STATUS_OK, STATUS_BAD_SIZE (detail n), STATUS_NON_FINITE_INPUT (detail: flat index) or
 * STATUS_NO_CONVERGENCE (detail: index of the eigenvalue whose QL iteration did not converge).
 */
export function symmetricEigen(a: usize, n: i32, values: usize, vectors: usize, work: usize): i32 {
  if (n <= 0) return fail(STATUS_BAD_SIZE, n);
  // z = A with the lower triangle mirrored (z is Vᵀ and A is symmetric, so this is V = A too).
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = load<f64>(a + ((<usize>i * <usize>n + <usize>j) << 3));
      if (!isFinite(v)) return fail(STATUS_NON_FINITE_INPUT, i * n + j);
    }
  }
  if (a != vectors) memory.copy(vectors, a, (<usize>n * <usize>n) << 3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      store<f64>(vectors + ((<usize>j * <usize>n + <usize>i) << 3), load<f64>(vectors + ((<usize>i * <usize>n + <usize>j) << 3)));
    }
  }
  tred2(vectors, n, values, work);
  const bad = tql2(vectors, n, values, work);
  if (bad >= 0) return fail(STATUS_NO_CONVERGENCE, bad);
  return STATUS_OK;
}
