import { sampleAlias } from '../core/alias';
import { checkInteger, checkNonNegative, checkVector } from '../core/check';
import type { Rng } from '../core/rng';
import { sampleSuccessor } from '../mdp/transitions';
import type { TabularMDP } from '../mdp/problem';
import { parameterDimension, softmaxPolicyAt } from '../policy/softmax';
import { addTrajectoryTerm } from './reference';

/** Two GPOMDP estimates from one batch of trajectories sampled at θ. */
export interface WeightedGradients {
  /** ĝ(θ): GPOMDP at θ. */
  grad: Float64Array;
  /** w·ĝ(θ'): GPOMDP at θ' on the same trajectories, the reward at step t weighted by w_{0:t} = Π_{k≤t} π_θ'(a_k|s_k)/π_θ(a_k|s_k). */
  weightedPrevious: Float64Array;
  /** Per-coordinate sample variance (denominator M − 1) of the M per-trajectory terms of weightedPrevious. */
  varianceWeightedPrevious: Float64Array;
  /** Mean of the M whole-trajectory weights w_{0:K−1} (E w = 1). */
  meanWeight: number;
  envSteps: number;
}

/**
 * On M trajectories of K steps sampled from π_θ (stream `rng`: per trajectory one draw for s₀ ~ ρ, then per
 * step one for the action and one for the successor), the GPOMDP estimates (entropy-regularised reward
 * r_t = R − τ log π)
 *   ĝ(θ)       = (1/M) Σ_m Σ_{t<K} γ^t r_t(θ) Σ_{k≤t} ∇log π_θ(a_k|s_k),
 *   w ĝ(θ')    = (1/M) Σ_m Σ_{t<K} w_{0:t} γ^t r_t(θ') Σ_{k≤t} ∇log π_θ'(a_k|s_k),  w_{0:t} = Π_{k≤t} π_θ'(a_k|s_k)/π_θ(a_k|s_k).
 * The law of the first t+1 steps under θ' has density w_{0:t} against the law under θ, and the t-th GPOMDP
 * term depends only on them, so the second is unbiased for ∇J_K(θ') (the K-truncated gradient at θ'): the
 * importance-weighted "previous gradient" of SVRPG-type and STORM-type estimators (Xu, Gao & Gu 2020; Wang
 * et al. 2024's FedSVRPG-M), with per-decision weights (Precup et al. 2000), whose variance is never larger
 * than the whole-trajectory weight's on the same term. Both sums are the reference's GPOMDP sum
 * (estimators/reference.ts, addTrajectoryTerm), with d_t = γ^t r_t(θ) and w_{0:t} γ^t r_t(θ'). Its sampler
 * is its own (actions by a linear scan of π with `rng.uniform`, γ^t as a power: its stream contract is not the
 * sampled estimator's) and costs O(K·A) per trajectory.
 */
export function importanceWeightedGradients(
  mdp: TabularMDP,
  theta: ArrayLike<number>,
  thetaPrevious: ArrayLike<number>,
  options: { horizon: number; batch: number; entropy?: number },
  rng: Rng,
): WeightedGradients {
  const K = checkInteger('horizon', options.horizon, 1);
  const M = checkInteger('batch', options.batch, 1);
  const tau = checkNonNegative('entropy', options.entropy ?? 0);
  const { S, A, gamma, reward: R, transitions: P, rhoCut, rhoOther } = mdp;
  const d = parameterDimension(mdp);
  const now = softmaxPolicyAt(checkVector('theta', theta, d), S, A);
  const prev = softmaxPolicyAt(checkVector('thetaPrevious', thetaPrevious, d), S, A);
  const grad = new Float64Array(d);
  const weighted = new Float64Array(d);
  const sumSq = new Float64Array(d);
  const trajPrev = new Float64Array(d);
  const states: number[] = new Array(K);
  const actions = new Int32Array(K);
  const rewards = new Float64Array(K);
  const rewardsPrev = new Float64Array(K);
  const G = new Float64Array(K);
  let weightSum = 0;
  for (let m = 0; m < M; m++) {
    let s = sampleAlias(rhoCut, rhoOther, 0, S, rng.uniform());
    let logW = 0;
    for (let t = 0; t < K; t++) {
      const u = rng.uniform();
      let a = 0;
      let c = now.pi[s * A];
      while (u >= c && a < A - 1) c += now.pi[s * A + ++a];
      const k = s * A + a;
      states[t] = s;
      actions[t] = a;
      logW += prev.logPi[k] - now.logPi[k];
      const disc = gamma ** t;
      rewards[t] = disc * (tau > 0 ? R[k] - tau * now.logPi[k] : R[k]);
      rewardsPrev[t] = Math.exp(logW) * disc * (tau > 0 ? R[k] - tau * prev.logPi[k] : R[k]);
      if (t + 1 < K) s = sampleSuccessor(P, k, rng.uniform());
    }
    weightSum += Math.exp(logW);
    // The one GPOMDP sum (estimators/reference.ts): at θ into the batch's sum, at θ' per trajectory.
    addTrajectoryTerm(now, states, actions, rewards, false, G, grad);
    trajPrev.fill(0);
    addTrajectoryTerm(prev, states, actions, rewardsPrev, false, G, trajPrev);
    for (let k = 0; k < d; k++) {
      weighted[k] += trajPrev[k];
      sumSq[k] += trajPrev[k] * trajPrev[k];
    }
  }
  const variance = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    grad[k] /= M;
    const mean = weighted[k] / M;
    variance[k] = M > 1 ? (sumSq[k] - M * mean * mean) / (M - 1) : NaN;
    weighted[k] = mean;
  }
  return { grad, weightedPrevious: weighted, varianceWeightedPrevious: variance, meanWeight: weightSum / M, envSteps: M * K };
}
