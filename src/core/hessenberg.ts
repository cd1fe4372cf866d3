/**
 * The small least-squares problem of GMRES (core/gmres.ts, core/gmresKernel.ts): the (m+1)×m upper
 * Hessenberg matrix H of a cycle, column-major in `h` (h[j·(m+1) + i] = H(i, j)), kept upper triangular by
 * Givens rotations (cs, sn) as its columns arrive, with g = Qᵀ β e₁ rotated alongside.
 */

/**
 * Column k of H has just been written: apply the k previous rotations to it, then the new rotation that
 * zeroes H(k+1, k) (c = a/ρ, s = b/ρ with ρ = hypot(a, b); c = 1, s = 0 when ρ = 0), and rotate g. Returns
 * |g[k+1]|, the 2-norm of the residual of the minimiser over the k + 1 basis vectors.
 */
export function rotateColumn(h: Float64Array, m: number, k: number, cs: Float64Array, sn: Float64Array, g: Float64Array): number {
  const col = k * (m + 1);
  for (let i = 0; i < k; i++) {
    const a = h[col + i];
    const c = h[col + i + 1];
    h[col + i] = cs[i] * a + sn[i] * c;
    h[col + i + 1] = -sn[i] * a + cs[i] * c;
  }
  const a = h[col + k];
  const c = h[col + k + 1];
  const rho = Math.hypot(a, c);
  cs[k] = rho === 0 ? 1 : a / rho;
  sn[k] = rho === 0 ? 0 : c / rho;
  h[col + k] = rho;
  h[col + k + 1] = 0;
  g[k + 1] = -sn[k] * g[k];
  g[k] = cs[k] * g[k];
  return Math.abs(g[k + 1]);
}

/** y (its first k entries) from the k×k upper triangle of H and g by back substitution. */
export function solveTriangle(h: Float64Array, m: number, g: Float64Array, k: number, y: Float64Array): void {
  for (let i = k - 1; i >= 0; i--) {
    let s = g[i];
    for (let t = i + 1; t < k; t++) s -= h[t * (m + 1) + i] * y[t];
    y[i] = s / h[i * (m + 1) + i];
  }
}
