/**
 * A policy π_θ at fixed parameters θ ∈ R^d, as a sampled estimator uses it: draw an action from one uniform,
 * its log-probability, and its score ∇_θ log π_θ(a|s) added, weighted, into a d-vector. The tabular
 * softmax is one (policy/softmax.ts, `softmaxPolicyAt`); a policy over features (log-linear, d ≠ S·A) is
 * another with the same three members.
 */
export interface Policy<State> {
  /** d, the length of θ and of every gradient. */
  readonly dimension: number;
  /** a ~ π_θ(·|s) from u ∈ [0, 1). */
  sample(s: State, u: number): number;
  /** log π_θ(a|s). */
  logProb(s: State, a: number): number;
  /** out += weight · ∇_θ log π_θ(a|s). */
  addScore(s: State, a: number, weight: number, out: Float64Array): void;
}
