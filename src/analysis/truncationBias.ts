import { checkNonNegative } from '../core/check';
import { ols } from '../core/stats';
import { exactGradient } from '../estimators/exact';
import { truncatedGradient } from '../estimators/truncated';
import type { TabularMDP } from '../mdp/problem';

/** The truncation bias against K and its fitted geometric rate. */
export interface TruncationBias {
  rows: { horizon: number; bias: number }[];
  /** Fitted slope of log ‖∇J_K − ∇J‖ against K (theory: log γ), with CI. */
  rate: number;
  rateCI: [number, number];
  logGamma: number;
}

/**
 * ‖∇J_K(θ) − ∇J(θ)‖₂ for each K, both exact (estimators/truncated.ts and the policy-gradient theorem):
 * the bias of the truncated estimators, bounded by D γ^K (docs/paper.md, assumption 3). A semi-log fit of log bias on K
 * estimates the rate, to compare with log γ. Biases at round-off level (< 1e-13) are left out of the fit.
 */
export function truncationBias(mdp: TabularMDP, theta: ArrayLike<number>, options: { horizons: readonly number[]; entropy?: number }): TruncationBias {
  const entropy = checkNonNegative('entropy', options.entropy ?? 0);
  const full = exactGradient(mdp, theta, { entropy });
  const rows = options.horizons.map((K) => {
    const g = truncatedGradient(mdp, theta, { horizon: K, entropy }).grad;
    let s = 0;
    for (let k = 0; k < g.length; k++) s += (g[k] - full[k]) ** 2;
    return { horizon: K, bias: Math.sqrt(s) };
  });
  const usable = rows.filter((r) => r.bias > 1e-13);
  const fit = usable.length >= 3 ? ols(usable.map((r) => r.horizon), usable.map((r) => Math.log(r.bias))) : null;
  return { rows, rate: fit ? fit.slope : NaN, rateCI: fit ? fit.slopeCI : [NaN, NaN], logGamma: Math.log(mdp.gamma) };
}
