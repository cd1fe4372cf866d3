import { checkInteger, checkNonNegative, checkVector } from '../core/check';
import type { Rng } from '../core/rng';
import { type Environment, tabularEnvironment } from '../mdp/environment';
import type { TabularMDP } from '../mdp/problem';
import { tabularStateSpace } from '../mdp/stateSpace';
import type { Policy } from '../policy/policy';
import { type PolicyClass, policyClass, type PolicySpec } from '../policy/policyClass';
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
 * sampled estimator's) and costs O(K·A) per trajectory. A log-linear `policy` draws its actions from the
 * policy at θ (alias tables of π(·|s), as every log-linear sampler) and scores with the log-linear score.
 */
export function importanceWeightedGradients(
  mdp: TabularMDP,
  theta: ArrayLike<number>,
  thetaPrevious: ArrayLike<number>,
  options: { horizon: number; batch: number; entropy?: number; policy?: PolicySpec | PolicyClass<number> },
  rng: Rng,
): WeightedGradients {
  const K = checkInteger('horizon', options.horizon, 1);
  const M = checkInteger('batch', options.batch, 1);
  const tau = checkNonNegative('entropy', options.entropy ?? 0);
  const { S, A } = mdp;
  const cls = options.policy === undefined ? null : policyClass(options.policy, tabularStateSpace(mdp));
  // One-hot features (Φ = I) are the tabular policy with the same θ: the tabular path below, its sampler included.
  if (cls?.features && !cls.features.identity) {
    const d = cls.dimension;
    const now = cls.at(checkVector('theta', theta, d));
    const prev = cls.at(checkVector('thetaPrevious', thetaPrevious, d));
    return weightedGradientsOn(tabularEnvironment(mdp), now, prev, mdp.gamma, K, M, tau, rng);
  }
  const d = parameterDimension(mdp);
  const now = softmaxPolicyAt(checkVector('theta', theta, d), S, A);
  const prev = softmaxPolicyAt(checkVector('thetaPrevious', thetaPrevious, d), S, A);
  // The tabular sampler of this estimator: a linear scan of π(·|s) (its stream contract predates the alias tables).
  const scan: Policy<number> = {
    ...now,
    sample(s, u) {
      let a = 0;
      let c = now.pi[s * A];
      while (u >= c && a < A - 1) c += now.pi[s * A + ++a];
      return a;
    },
  };
  return weightedGradientsOn(tabularEnvironment(mdp), scan, prev, mdp.gamma, K, M, tau, rng);
}

/**
 * The estimates of importanceWeightedGradients on any environment and pair of policies at θ (`now`, which
 * draws the actions) and θ' (`prev`): per trajectory one uniform of `rng` for s₀, then per step one for the
 * action and (except after the last step) one for the successor.
 */
export function weightedGradientsOn<State>(env: Environment<State>, now: Policy<State>, prev: Policy<State>, gamma: number, K: number, M: number, tau: number, rng: Rng): WeightedGradients {
  const d = now.dimension;
  const grad = new Float64Array(d);
  const weighted = new Float64Array(d);
  const sumSq = new Float64Array(d);
  const trajPrev = new Float64Array(d);
  const states: State[] = new Array(K);
  const actions = new Int32Array(K);
  const rewards = new Float64Array(K);
  const rewardsPrev = new Float64Array(K);
  const G = new Float64Array(K);
  let weightSum = 0;
  for (let m = 0; m < M; m++) {
    let s = env.reset(rng.uniform());
    let logW = 0;
    for (let t = 0; t < K; t++) {
      const a = now.sample(s, rng.uniform());
      states[t] = s;
      actions[t] = a;
      const logNow = now.logProb(s, a);
      const logPrev = prev.logProb(s, a);
      logW += logPrev - logNow;
      const disc = gamma ** t;
      const r = env.reward(s, a);
      rewards[t] = disc * (tau > 0 ? r - tau * logNow : r);
      rewardsPrev[t] = Math.exp(logW) * disc * (tau > 0 ? r - tau * logPrev : r);
      if (t + 1 < K) s = env.step(s, a, rng.uniform());
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
