/**
 * Numerically stable softmax and log-sum-exp over the rows of a row-major S×A table.
 * Subtracting the row maximum keeps exp() in (0, 1], so θ entries of ±1e3 give no overflow or NaN.
 */

/** log Σ_j exp(x[start+j]), j < n, computed as m + log Σ exp(x − m) with m = max x. */
export function logSumExp(x: ArrayLike<number>, start = 0, n = x.length - start): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) if (x[start + j] > m) m = x[start + j];
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(x[start + j] - m);
  return m + Math.log(s);
}

/** π[s·A + a] = exp(θ[s·A + a] − max_b θ[s·A + b]) / Σ_b exp(θ[s·A + b] − max_b θ[s·A + b]). */
export function softmaxRows(theta: ArrayLike<number>, S: number, A: number, out: Float64Array): Float64Array {
  softmaxLogRows(theta, S, A, out, null);
  return out;
}

/** log π[s·A + a] = θ[s·A + a] − logsumexp_b θ[s·A + b]; finite even where π underflows to 0. */
export function logSoftmaxRows(theta: ArrayLike<number>, S: number, A: number, out: Float64Array): Float64Array {
  for (let s = 0; s < S; s++) {
    const o = s * A;
    const lse = logSumExp(theta, o, A);
    for (let a = 0; a < A; a++) out[o + a] = theta[o + a] - lse;
  }
  return out;
}

/**
 * π and (unless `logPi` is null) log π of every row in one pass: one exp per entry and one log per row
 * (computing them apart takes two exps per entry). log π is bit-identical to logSoftmaxRows: the same
 * max m and sum z = Σ exp(θ − m), with log π = θ − (m + log z).
 */
export function softmaxLogRows(theta: ArrayLike<number>, S: number, A: number, pi: Float64Array, logPi: Float64Array | null): void {
  for (let s = 0; s < S; s++) {
    const o = s * A;
    let m = -Infinity;
    for (let a = 0; a < A; a++) if (theta[o + a] > m) m = theta[o + a];
    let z = 0;
    for (let a = 0; a < A; a++) {
      const e = Math.exp(theta[o + a] - m);
      pi[o + a] = e;
      z += e;
    }
    for (let a = 0; a < A; a++) pi[o + a] /= z;
    if (logPi) {
      // As logSumExp: an infinite maximum is returned as is.
      const lse = m === Infinity || m === -Infinity ? m : m + Math.log(z);
      for (let a = 0; a < A; a++) logPi[o + a] = theta[o + a] - lse;
    }
  }
}
