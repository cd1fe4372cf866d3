import { fail } from '../core/check';
import { resolveLimits } from '../core/limits';
import { ESTIMATOR_KINDS, ESTIMATOR_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import type { Rng } from '../core/rng';
import { tabularEnvironment } from '../mdp/environment';
import type { TabularMDP } from '../mdp/problem';
import { tabularStateSpace } from '../mdp/stateSpace';
import { createFeatureRows } from '../policy/features';
import { featureLogits } from '../policy/logLinear';
import { type PolicyClass, policyClass, type PolicyDescription, type PolicySpec, tabularPolicyClass } from '../policy/policyClass';
import { parameterDimension, softmaxPolicyAt } from '../policy/softmax';
import { checkEstimateSize } from './estimateSize';
import { type EstimatorSettings, referenceEstimate } from './reference';
import { acceptTheta, createThetaCache } from './thetaCache';
import { createWalkEstimator, type EstimateSums, type RowPullBack } from './walkEstimator';

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
  /** The policy class: 'tabular' (default) or a log-linear class (a spec or a class from `policyClass`); θ has its dimension d. */
  policy?: PolicySpec | PolicyClass<number>;
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

/** Sampled-estimator options, checked and filled in; `policy` is present (a log-linear class's description) only when not tabular. */
export type ResolvedSampledOptions = Readonly<Required<Omit<SampledOptions, 'limits' | 'policy'>> & { policy?: PolicyDescription }>;

/** A reusable estimator for one MDP: its buffers are allocated once and reused by every call. */
export interface GradientEstimator {
  readonly options: ResolvedSampledOptions;
  /** ∇̂_K J(θ) into `out` (a fresh array of length d by default). */
  estimate(theta: ArrayLike<number>, rng: Rng, out?: Float64Array): GradientEstimate;
}

/** Validate sampled-estimator options, filling the defaults (fields and ranges from core/parameters.ts); `policy` is returned as given. */
export function checkSampledOptions(options: SampledOptions, varianceDefault: boolean): Required<Omit<SampledOptions, 'limits' | 'policy'>> & { policy?: SampledOptions['policy'] } {
  const o = validateObject('', options, ESTIMATOR_SCHEMA, 'sampled-estimator options');
  const horizon = o.horizon as number;
  const batch = o.batch as number;
  checkEstimateSize('batch', horizon, batch, resolveLimits('limits', o.limits));
  return { horizon, batch, estimator: o.estimator as EstimatorKind, entropy: o.entropy as number, variance: (o.variance as boolean | undefined) ?? varianceDefault, backend: o.backend as EstimatorBackend, ...(o.policy !== undefined ? { policy: o.policy as SampledOptions['policy'] } : {}) };
}

/** The reference estimator (estimators/reference.ts) for a TabularMDP: its tabular environment and the class's policy at θ. */
function createReferenceBackend(mdp: TabularMDP, settings: EstimatorSettings, cls: PolicyClass<number>): { estimate(theta: ArrayLike<number>, rng: Rng, out: Float64Array): EstimateSums } {
  const env = tabularEnvironment(mdp);
  const cache = createThetaCache(cls.dimension);
  return {
    estimate(theta, rng, out) {
      acceptTheta('theta', theta, cache);
      return referenceEstimate(env, cls.at(cache.theta), mdp.gamma, settings, rng, out);
    },
  };
}

/**
 * The fast path of a log-linear class on a TabularMDP: the WebAssembly walk at the logits ℓ = Φθ (the same
 * trajectories as the reference: its actions are drawn from the same alias tables of π(·|s)), and
 *   Φᵀĝ_ℓ = (1/M) Σ_m Σ_k G_k (φ(s_k, a_k) − Σ_b π(b|s_k) φ(s_k, b)),
 * the log-linear estimate, since the tabular score e_{s,a} − π(·|s) pulls back to the log-linear score. Per
 * new θ it costs O(Σ_s nnz φ(s, ·)) for ℓ on top of the tabular O(S·A), and per estimate one pull-back of
 * the visited states' rows, so it pays when S is small next to M·K (docs/policies.md). One-hot features are
 * the tabular kernel itself (ℓ = θ).
 */
function createLogLinearWalk(mdp: TabularMDP, settings: EstimatorSettings, cls: PolicyClass<number>): { estimate(theta: ArrayLike<number>, rng: Rng, out: Float64Array): EstimateSums } {
  const features = cls.features as NonNullable<PolicyClass<number>['features']>;
  if (features.identity) return createWalkEstimator(mdp, settings);
  const rows = createFeatureRows(features);
  const { index, value, start } = rows;
  const A = mdp.A;
  const pull: RowPullBack = {
    dimension: cls.dimension,
    addRow(s, g, out) {
      features.write(s, rows);
      for (let a = 0; a < A; a++) {
        const w = g[a];
        if (w !== 0) for (let e = start[a]; e < start[a + 1]; e++) out[index[e]] += w * value[e];
      }
    },
  };
  const walk = createWalkEstimator(mdp, settings, pull);
  const cache = createThetaCache(cls.dimension);
  const logits = new Float64Array(mdp.S * A);
  return {
    estimate(theta, rng, out) {
      if (acceptTheta('theta', theta, cache)) featureLogits(features, cache.theta, mdp.S, logits);
      return walk.estimate(logits, rng, out);
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
 * (equal to round-off; test/referenceEstimator.test.ts). With a log-linear `policy` (θ ∈ R^d) the reference
 * walks with the log-linear policy at θ and the kernel at the logits Φθ, its sums pulled back by Φᵀ
 * (createLogLinearWalk); both are the same estimator on the same trajectories, unbiased for ∇J_K(θ)
 * (test/logLinearSampled.test.ts). Random stream contract (both): four 32-bit draws
 * of `rng.uniform` seed a xoshiro128** generator (core/xoshiro.ts), which then gives, per trajectory, one
 * uniform for s₀ ~ ρ and per step one for the action and one for the successor (none after the last step),
 * in that order, trajectory after trajectory.
 */
export function createGradientEstimator(mdp: TabularMDP, options: SampledOptions): GradientEstimator {
  const { policy, ...opts } = checkSampledOptions(options, true);
  const settings: EstimatorSettings = { horizon: opts.horizon, batch: opts.batch, reinforce: opts.estimator === 'reinforce', entropy: opts.entropy, variance: opts.variance };
  const cls = policy === undefined ? null : policyClass(policy, tabularStateSpace(mdp));
  const logLinear = cls?.features ? cls : null;
  const d = logLinear ? logLinear.dimension : parameterDimension(mdp);
  const backend = logLinear
    ? opts.backend === 'reference' ? createReferenceBackend(mdp, settings, logLinear) : createLogLinearWalk(mdp, settings, logLinear)
    : opts.backend === 'reference' ? createReferenceBackend(mdp, settings, cls ?? tabularPolicyClass(mdp.S, mdp.A)) : createWalkEstimator(mdp, settings);
  const { horizon: K, batch: M } = opts;
  return {
    options: Object.freeze(logLinear ? { ...opts, policy: logLinear.description } : opts),
    estimate(theta, rng, out = new Float64Array(d)) {
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
