import { fail } from '../core/check';
import { resolveLimits } from '../core/limits';
import { ESTIMATOR_KINDS, ESTIMATOR_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import type { Rng } from '../core/rng';
import { tabularEnvironment } from '../mdp/environment';
import type { TabularMDP } from '../mdp/problem';
import { parameterDimension, softmaxPolicyAt } from '../policy/softmax';
import { checkEstimateSize } from './estimateSize';
import { type EstimatorSettings, referenceEstimate } from './reference';
import { acceptTheta, createThetaCache } from './thetaCache';
import { createWalkEstimator, type EstimateSums } from './walkEstimator';

/** The two score-function estimators of the paper's gradient oracle (docs/paper.md). */
export type EstimatorKind = (typeof ESTIMATOR_KINDS)[number];

/** The implementations behind one interface: the fast tabular kernel and the readable reference. */
export type EstimatorBackend = 'wasm' | 'reference';

/** Options of a sampled, truncated gradient estimate ∇̂_K J. */
export interface SampledOptions {
  /** K: steps per trajectory. */
  horizon: number;
  /** M: trajectories per estimate. */
  batch: number;
  /** 'gpomdp' (default) or 'reinforce'. */
  estimator?: EstimatorKind;
  /** τ ≥ 0: the per-step reward becomes R(s,a) − τ log π(a|s). */
  entropy?: number;
  /** Also return the per-coordinate sample variance of the per-trajectory terms (costs O(A) per visited state). Default true in `estimateGradient`. */
  variance?: boolean;
  /** 'wasm' (default): the fast tabular kernel; 'reference': the readable specification it is tested equal to (estimators/reference.ts). */
  backend?: EstimatorBackend;
  /** Raise the size limit `estimateSteps` (core/parameters.ts). */
  limits?: { estimateSteps?: number };
}

/** What an estimate cost and how noisy it was. */
export interface EstimateStats {
  /** Environment steps used: M·K. */
  envSteps: number;
  trajectories: number;
  /** Mean over trajectories of the truncated discounted return Σ_{t<K} γ^t r_t (entropy bonus included). */
  meanReturn: number;
  /**
   * Per-coordinate sample variance (denominator M − 1) of the M per-trajectory terms whose mean is the
   * estimate; the estimate's own variance is this divided by M (the σ² ≈ σ₁²/M of docs/paper.md, assumption 2). Present
   * when `variance` was on.
   */
  variance?: Float64Array;
}

/** A gradient estimate and its statistics. */
export interface GradientEstimate {
  grad: Float64Array;
  stats: EstimateStats;
}

/** A reusable estimator for one MDP: its buffers are allocated once and reused by every call. */
export interface GradientEstimator {
  readonly options: Readonly<Required<Omit<SampledOptions, 'limits'>>>;
  /** ∇̂_K J(θ) into `out` (a fresh array by default). */
  estimate(theta: ArrayLike<number>, rng: Rng, out?: Float64Array): GradientEstimate;
}

/** Validate sampled-estimator options, filling the defaults (fields and ranges from core/parameters.ts). */
export function checkSampledOptions(options: SampledOptions, varianceDefault: boolean): Required<Omit<SampledOptions, 'limits'>> {
  const o = validateObject('', options, ESTIMATOR_SCHEMA, 'sampled-estimator options');
  const horizon = o.horizon as number;
  const batch = o.batch as number;
  checkEstimateSize('batch', horizon, batch, resolveLimits('limits', o.limits));
  return { horizon, batch, estimator: o.estimator as EstimatorKind, entropy: o.entropy as number, variance: (o.variance as boolean | undefined) ?? varianceDefault, backend: o.backend as EstimatorBackend };
}

/** The reference estimator (estimators/reference.ts) for a TabularMDP: its tabular environment and softmax policy at θ. */
function createReferenceBackend(mdp: TabularMDP, settings: EstimatorSettings): { estimate(theta: ArrayLike<number>, rng: Rng, out: Float64Array): EstimateSums } {
  const env = tabularEnvironment(mdp);
  const cache = createThetaCache(parameterDimension(mdp));
  return {
    estimate(theta, rng, out) {
      acceptTheta('theta', theta, cache);
      return referenceEstimate(env, softmaxPolicyAt(cache.theta, mdp.S, mdp.A), mdp.gamma, settings, rng, out);
    },
  };
}

/**
 * Build a truncated score-function estimator for `mdp` (docs/paper.md, "The gradient oracle"):
 *   GPOMDP:    ĝ = (1/M) Σ_m Σ_{t<K} γ^t r_t Σ_{k≤t} ∇log π(a_k|s_k)
 *   REINFORCE: ĝ = (1/M) Σ_m (Σ_{t<K} γ^t r_t)(Σ_{k<K} ∇log π(a_k|s_k)),
 * with r_t = R(s_t,a_t) − τ log π(a_t|s_t); both unbiased for the gradient of the K-truncated objective
 * (estimators/truncated.ts). One interface, two backends: the specification, written to be read
 * (estimators/reference.ts, `backend: 'reference'`), and the fast tabular kernel (estimators/walkEstimator.ts,
 * WebAssembly, the default), which walks the same trajectories bit for bit and sums them in another order
 * (equal to round-off; test/referenceEstimator.test.ts). Random stream contract (both): four 32-bit draws
 * of `rng.uniform` seed a xoshiro128** generator (core/xoshiro.ts), which then gives, per trajectory, one
 * uniform for s₀ ~ ρ and per step one for the action and one for the successor (none after the last step),
 * in that order, trajectory after trajectory.
 */
export function createGradientEstimator(mdp: TabularMDP, options: SampledOptions): GradientEstimator {
  const opts = checkSampledOptions(options, true);
  const settings: EstimatorSettings = { horizon: opts.horizon, batch: opts.batch, reinforce: opts.estimator === 'reinforce', entropy: opts.entropy, variance: opts.variance };
  const backend = opts.backend === 'reference' ? createReferenceBackend(mdp, settings) : createWalkEstimator(mdp, settings);
  const { horizon: K, batch: M } = opts;
  return {
    options: opts,
    estimate(theta, rng, out = new Float64Array(parameterDimension(mdp))) {
      const { returns, sum, sumSq } = backend.estimate(theta, rng, out);
      const stats: EstimateStats = { envSteps: M * K, trajectories: M, meanReturn: returns / M };
      if (sum && sumSq) stats.variance = sum.map((x, k) => (M > 1 ? Math.max(0, (sumSq[k] - (x * x) / M) / (M - 1)) : NaN));
      return { grad: out, stats };
    },
  };
}

/**
 * One sampled, truncated policy-gradient estimate ∇̂_K J(θ) with M trajectories of K steps
 * (see createGradientEstimator for the estimator, its backends and its random-stream contract).
 * Returns the gradient and stats (env steps, per-coordinate variance unless `variance: false`).
 */
export function estimateGradient(mdp: TabularMDP, theta: ArrayLike<number>, options: SampledOptions, rng: Rng): GradientEstimate {
  if (rng == null || typeof (rng as Partial<Rng>).uniform !== 'function') fail('rng', rng, 'must be a random stream from createRng(seed) (every sampled estimate takes one)');
  return createGradientEstimator(mdp, options).estimate(theta, rng);
}
