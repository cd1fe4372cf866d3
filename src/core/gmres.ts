import { rotateColumn, solveTriangle } from './hessenberg';

/** A linear operator: writes A·x into `out`. */
export type LinearOperator = (x: Float64Array, out: Float64Array) => void;

/** Options of `gmres`. */
export interface GmresOptions {
  /** Krylov dimension m before a restart (default 40). */
  restart?: number;
  /** Restart cycles before giving up (default 20). */
  maxCycles?: number;
  /**
   * A cycle stops early once its estimate of ‖b − A x‖₂ is at most this (default 0: only at round-off,
   * 1e-16 of the cycle's starting residual). Pass the 2-norm that makes `accept` true.
   */
  tolerance?: number;
  /**
   * Called with the iterate and its true residual b − A x after every cycle; true stops. The caller turns
   * the residual into a rigorous error bound (e.g. ‖x − x*‖∞ ≤ ‖b − Ax‖∞ / (1−γ) for I − γP).
   */
  accept: (x: Float64Array, residual: Float64Array) => boolean;
}

/** What `gmres` did. */
export interface GmresResult {
  x: Float64Array;
  converged: boolean;
  cycles: number;
  iterations: number;
}

/**
 * Restarted GMRES(m) (Saad & Schultz 1986) for A x = b: each cycle builds an orthonormal Krylov basis of
 * the residual by modified Gram–Schmidt, keeps the Hessenberg least-squares problem triangular with Givens
 * rotations, and updates x by the minimiser of ‖b − A x‖₂ over the basis. A cycle ends after m steps or
 * when the estimated residual reaches `tolerance` or round-off (1e-16 of the cycle's start); every cycle recomputes the
 * true residual, which also corrects the drift of the estimate (iterative refinement).
 * Memory O(m·n); cost per step one application of A and O(m·n).
 */
export function gmres(apply: LinearOperator, b: Float64Array, x0: Float64Array, options: GmresOptions): GmresResult {
  const n = b.length;
  const m = Math.max(1, Math.min(options.restart ?? 40, n));
  const maxCycles = options.maxCycles ?? 20;
  const tolerance = options.tolerance ?? 0;
  const x = Float64Array.from(x0);
  const r = new Float64Array(n);
  const w = new Float64Array(n);
  const basis = Array.from({ length: m + 1 }, () => new Float64Array(n));
  const h = new Float64Array((m + 1) * m); // column-major: h[j*(m+1) + i] = H(i, j)
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const y = new Float64Array(m);
  let iterations = 0;
  const residual = () => {
    apply(x, w);
    for (let i = 0; i < n; i++) r[i] = b[i] - w[i];
  };
  residual();
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    if (options.accept(x, r)) return { x, converged: true, cycles: cycle, iterations };
    let beta = 0;
    for (let i = 0; i < n; i++) beta += r[i] * r[i];
    beta = Math.sqrt(beta);
    if (beta === 0) return { x, converged: true, cycles: cycle, iterations };
    for (let i = 0; i < n; i++) basis[0][i] = r[i] / beta;
    g.fill(0);
    g[0] = beta;
    let k = 0;
    for (; k < m; k++) {
      iterations++;
      const v = basis[k + 1];
      apply(basis[k], v);
      for (let i = 0; i <= k; i++) {
        const q = basis[i];
        let d = 0;
        for (let t = 0; t < n; t++) d += v[t] * q[t];
        h[k * (m + 1) + i] = d;
        for (let t = 0; t < n; t++) v[t] -= d * q[t];
      }
      let norm = 0;
      for (let t = 0; t < n; t++) norm += v[t] * v[t];
      norm = Math.sqrt(norm);
      h[k * (m + 1) + k + 1] = norm;
      if (norm > 0) for (let t = 0; t < n; t++) v[t] /= norm;
      // The previous rotations on the new column, then a new one to zero H(k+1, k).
      if (rotateColumn(h, m, k, cs, sn, g) <= Math.max(tolerance, 1e-16 * beta) || norm === 0) {
        k++;
        break;
      }
    }
    // Back substitution for y in the k×k triangle, then x += V_k y.
    solveTriangle(h, m, g, k, y);
    for (let j = 0; j < k; j++) {
      const q = basis[j];
      const yj = y[j];
      for (let t = 0; t < n; t++) x[t] += yj * q[t];
    }
    residual();
  }
  return { x, converged: options.accept(x, r), cycles: maxCycles, iterations };
}
