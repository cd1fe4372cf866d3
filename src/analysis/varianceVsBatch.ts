import { checkInteger, checkNonNegative } from '../core/check';
import type { Rng } from '../core/rng';
import { ols } from '../core/stats';
import { truncatedGradient } from '../estimators/truncated';
import { createGradientEstimator, type EstimatorKind } from '../estimators/sampled';
import type { TabularMDP } from '../mdp/problem';

/** Options of `varianceVsBatch`. */
export interface VarianceVsBatchOptions {
  horizon: number;
  /** The batch sizes M to compare. */
  batches: readonly number[];
  /** Independent estimates per M (default 50). */
  repeats?: number;
  entropy?: number;
  estimator?: EstimatorKind;
}

/** One batch size's measurement. */
export interface VarianceRow {
  batch: number;
  /** Mean over repeats of ‖ĝ − ∇J_K‖² (the estimator's total variance, since E ĝ = ∇J_K). */
  meanSqError: number;
  /** Its standard error over the repeats. */
  se: number;
  /** tr(Σ₁)/M with tr(Σ₁) the per-trajectory variance (summed over coordinates) measured at the largest M. */
  predicted: number;
}

/** The variance assumption checked: σ² ≈ σ₁²/M. */
export interface VarianceVsBatch {
  rows: VarianceRow[];
  /** tr(Σ₁): the per-trajectory variance. */
  sigma1Sq: number;
  /** Fitted exponent of M in the mean squared error (theory: −1), with its CI. */
  slope: number;
  slopeCI: [number, number];
}

/**
 * The estimator's variance against the batch size M at a fixed θ: E‖ĝ_M − ∇J_K‖² should equal tr(Σ₁)/M
 * (independent trajectories), the σ² ≈ σ₁²/M of docs/paper.md's assumption 2. The truth ∇J_K is exact
 * (estimators/truncated.ts). Streams: `M:<M>/rep:<r>`.
 */
export function varianceVsBatch(mdp: TabularMDP, theta: ArrayLike<number>, options: VarianceVsBatchOptions, rng: Rng): VarianceVsBatch {
  const repeats = checkInteger('repeats', options.repeats ?? 50, 2);
  const entropy = checkNonNegative('entropy', options.entropy ?? 0);
  const batches = options.batches.map((M, i) => checkInteger(`batches[${i}]`, M, 1));
  const truth = truncatedGradient(mdp, theta, { horizon: options.horizon, entropy }).grad;
  const largest = Math.max(...batches);
  let sigma1Sq = NaN;
  const measured = batches.map((M) => {
    const est = createGradientEstimator(mdp, { horizon: options.horizon, batch: M, entropy, estimator: options.estimator, variance: M === largest });
    const errors: number[] = [];
    let trace = 0;
    for (let r = 0; r < repeats; r++) {
      const e = est.estimate(theta, rng.fold(`M:${M}`).fold(`rep:${r}`));
      let s = 0;
      for (let k = 0; k < truth.length; k++) s += (e.grad[k] - truth[k]) ** 2;
      errors.push(s);
      if (e.stats.variance) for (const v of e.stats.variance) trace += v / repeats;
    }
    if (M === largest) sigma1Sq = trace;
    const m = errors.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(errors.reduce((a, b) => a + (b - m) ** 2, 0) / (repeats - 1));
    return { batch: M, meanSqError: m, se: sd / Math.sqrt(repeats) };
  });
  const rows = measured.map((r) => ({ ...r, predicted: sigma1Sq / r.batch }));
  const fit = rows.length >= 3 ? ols(rows.map((r) => Math.log(r.batch)), rows.map((r) => Math.log(r.meanSqError))) : null;
  return { rows, sigma1Sq, slope: fit ? fit.slope : NaN, slopeCI: fit ? fit.slopeCI : [NaN, NaN] };
}
