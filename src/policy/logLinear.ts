import { buildAlias, sampleAlias } from '../core/alias';
import { softmaxLogRows } from '../core/softmax';
import { createFeatureRows, type FeatureMap, type FeatureRows } from './features';
import type { Policy } from './policy';

/**
 * The logits ℓ(s, a) = θᵀφ(s, a) = Σ_e value[e]·θ[index[e]] of one state's rows, every action, into
 * `out` (length A). The sum starts from its first term, not from 0, so a one-hot row gives θ(s, a) itself
 * (even −0): the tabular policy's logits, bit for bit.
 */
export function rowLogits(rows: FeatureRows, theta: ArrayLike<number>, A: number, out: Float64Array): Float64Array {
  const { index, value, start } = rows;
  for (let a = 0; a < A; a++) {
    const end = start[a + 1];
    let e = start[a];
    let l = e < end ? value[e] * theta[index[e]] : 0;
    for (e++; e < end; e++) l += value[e] * theta[index[e]];
    out[a] = l;
  }
  return out;
}

/**
 * ℓ = Φθ over the states 0 … S−1: out[s·A + a] = θᵀφ(s, a) (length S·A, the tabular layout), so the
 * tabular machinery (softmax rows, exact evaluation, the WebAssembly walk) applies to ℓ unchanged. One-hot
 * features (Φ = I) copy θ. Cost O(Σ_s nnz(φ(s, ·))).
 */
export function featureLogits(features: FeatureMap<number>, theta: ArrayLike<number>, S: number, out: Float64Array = new Float64Array(S * features.actions)): Float64Array {
  const A = features.actions;
  if (features.identity) {
    for (let k = 0; k < S * A; k++) out[k] = theta[k];
    return out;
  }
  const rows = createFeatureRows(features);
  const row = new Float64Array(A);
  for (let s = 0; s < S; s++) {
    features.write(s, rows);
    rowLogits(rows, theta, A, row);
    for (let a = 0; a < A; a++) out[s * A + a] = row[a];
  }
  return out;
}

/**
 * The pull-back Φᵀg = Σ_{s,a} g(s, a) φ(s, a) ∈ R^d of a vector g over state–action pairs (length S·A):
 * the chain rule from the logits to θ, ∇_θ f(Φθ) = Φᵀ ∇_ℓ f. One-hot features copy g. Written into `out`.
 */
export function pullBack(features: FeatureMap<number>, g: ArrayLike<number>, S: number, out: Float64Array = new Float64Array(features.dimension)): Float64Array {
  const A = features.actions;
  if (features.identity) {
    for (let k = 0; k < S * A; k++) out[k] = g[k];
    return out;
  }
  out.fill(0);
  const rows = createFeatureRows(features);
  const { index, value, start } = rows;
  for (let s = 0; s < S; s++) {
    features.write(s, rows);
    for (let a = 0; a < A; a++) {
      const w = g[s * A + a];
      if (w === 0) continue;
      for (let e = start[a]; e < start[a + 1]; e++) out[index[e]] += w * value[e];
    }
  }
  return out;
}

/** A log-linear policy at θ, with the probabilities of the state it last looked at. */
export interface LogLinearPolicy<State> extends Policy<State> {
  /** π(·|s) and log π(·|s) of state s (length A; views overwritten by the next state). */
  row(s: State): { pi: Float64Array; logPi: Float64Array };
}

/**
 * The log-linear policy π_θ(a|s) = exp(θᵀφ(s, a)) / Σ_b exp(θᵀφ(s, b)) at θ ∈ R^d as a `Policy`, for any
 * state type: a state's row (its features, logits, π and log π by core/softmax.ts, the tabular softmax's
 * arithmetic) is computed when the state is looked at and kept until another is. Its members:
 *   sample(s, u):   a ~ π(·|s) from the alias table of the row (core/alias.ts, built as the tabular
 *                   policy builds its rows'), so one-hot features draw the tabular policy's actions;
 *   logProb(s, a):  log π(a|s);
 *   addScore(s, a, w, out):  out += w (φ(s, a) − Σ_b π(b|s) φ(s, b)), the log-linear score, with the
 *                   tabular score's operations in its order (−w·π(b|s) for every b, then +w) for one-hot.
 * Cost per new state O(A + nnz(φ(s, ·))). States are compared by identity (===): a simulator that reuses
 * one state object for several states must not (states are values).
 */
export function logLinearPolicyAt<State>(features: FeatureMap<State>, theta: ArrayLike<number>): LogLinearPolicy<State> {
  const A = features.actions;
  const rows = createFeatureRows(features);
  const logits = new Float64Array(A);
  const pi = new Float64Array(A);
  const logPi = new Float64Array(A);
  const cut = new Float64Array(A);
  const other = new Int32Array(A);
  const work = new Int32Array(2 * A);
  let current: State | undefined;
  let filled = false;
  let aliased = false;
  const look = (s: State) => {
    if (filled && s === current) return;
    features.write(s, rows);
    rowLogits(rows, theta, A, logits);
    softmaxLogRows(logits, 1, A, pi, logPi);
    current = s;
    filled = true;
    aliased = false;
  };
  const { index, value, start } = rows;
  return {
    dimension: features.dimension,
    row(s) {
      look(s);
      return { pi, logPi };
    },
    sample(s, u) {
      look(s);
      if (!aliased) {
        buildAlias(pi, 0, A, cut, other, work);
        aliased = true;
      }
      return sampleAlias(cut, other, 0, A, u);
    },
    logProb(s, a) {
      look(s);
      return logPi[a];
    },
    addScore(s, a, weight, out) {
      look(s);
      for (let b = 0; b < A; b++) {
        const wb = weight * pi[b];
        for (let e = start[b]; e < start[b + 1]; e++) out[index[e]] -= wb * value[e];
      }
      for (let e = start[a]; e < start[a + 1]; e++) out[index[e]] += weight * value[e];
    },
  };
}
