import { buildAlias, sampleAlias } from '../core/alias';
import { TWO_POW_MINUS_32, xoshiroSeed } from '../core/xoshiro';
import { checkVector, fail } from '../core/check';
import { ESTIMATOR_SCHEMA, LIMITS_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import type { Rng } from '../core/rng';
import { softmaxPolicy } from '../policy/softmax';
import type { TabularMDP } from '../mdp/problem';

/** The two score-function estimators of the paper's gradient oracle (docs/paper.md). */
export type EstimatorKind = 'gpomdp' | 'reinforce';

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
  const { estimateSteps } = validateObject('limits', o.limits ?? {}, LIMITS_SCHEMA, 'the size limits') as { estimateSteps: number };
  const horizon = o.horizon as number;
  const batch = o.batch as number;
  if (horizon * batch > estimateSteps) {
    fail('batch', batch, `× horizon ${horizon} = ${(horizon * batch).toExponential(2)} environment steps per estimate, above the limit ${estimateSteps.toExponential(2)} (limits.estimateSteps); raise it with limits: { estimateSteps: … } if you mean it`);
  }
  return { horizon, batch, estimator: o.estimator as EstimatorKind, entropy: o.entropy as number, variance: (o.variance as boolean | undefined) ?? varianceDefault };
}

/**
 * Build a truncated score-function estimator for `mdp` (docs/paper.md, "The gradient oracle"):
 *   GPOMDP:    ĝ = (1/M) Σ_m Σ_{t<K} γ^t r_t Σ_{k≤t} ∇log π(a_k|s_k)
 *   REINFORCE: ĝ = (1/M) Σ_m (Σ_{t<K} γ^t r_t)(Σ_{k<K} ∇log π(a_k|s_k)),
 * with r_t = R(s_t,a_t) − τ log π(a_t|s_t). The term −τ Σ_t γ^t ∇log π(a_t|s_t) of the regularised
 * gradient has mean zero given s_t and is left out (it only adds variance); both estimators are unbiased
 * for the gradient of the K-truncated objective (estimators/truncated.ts).
 *
 * O(1) work per environment step: exchanging the sums, GPOMDP = (1/M) Σ_m Σ_k G_k ∇log π(a_k|s_k) with
 * G_k = Σ_{t=k}^{K−1} γ^t r_t (REINFORCE: G_k = G_0), and since ∇log π(a|s) = e_{s,a} − π(·|s) on row s,
 *   ĝ(s,a) = (W(s,a) − π(a|s) Σ_b W(s,b)) / M,  W(s,a) = Σ over visits k to (s,a) of G_k.
 * A step therefore draws an action and a successor (alias tables, O(1)) and stores (s,a) and γ^t r_t;
 * a backward pass per trajectory adds G_k into W; π is applied once at the end. Per call, O(S·A) work
 * builds π, its alias tables and a packed table per (s, alias slot) holding, for both outcomes of the
 * slot, the pair index s·A + a, its reward and its row of P, so that a step reads one entry of it and one
 * entry of P's packed alias table (bench/RESULTS.md measures what this buys).
 *
 * Random stream contract: four 32-bit draws of `rng.uniform` seed a xoshiro128** generator
 * (core/xoshiro.ts, inlined below), which then gives, per trajectory, one uniform for s₀ ~ ρ and per step
 * one for the action and one for the successor (none after the last step), in that order.
 */
export function createGradientEstimator(mdp: TabularMDP, options: SampledOptions): GradientEstimator {
  const opts = checkSampledOptions(options, true);
  const { S, A, gamma, transitions: P, reward: R, rhoCut, rhoOther } = mdp;
  const { horizon: K, batch: M, entropy: tau } = opts;
  const reinforce = opts.estimator === 'reinforce';
  const pol = { pi: new Float64Array(S * A), logPi: new Float64Array(S * A) };
  const actCut = new Float64Array(S * A);
  const actOther = new Int32Array(S * A);
  const aliasWork = new Int32Array(2 * A);
  const W = new Float64Array(S * A);
  const visits = new Int32Array(K);
  const discounted = new Float64Array(K);
  const seed = new Int32Array(4);
  const { rowStart, next, aliasCut, aliasOther } = P;
  // P's alias tables resolved per entry k of a row: succNext[2k] is s' when the draw falls below the cut
  // aliasCut[k], succNext[2k+1] the alias slot's s'.
  const succNext = new Int32Array(2 * next.length);
  for (let r = 0; r < S * A; r++) {
    for (let k = rowStart[r]; k < rowStart[r + 1]; k++) {
      succNext[2 * k] = next[k];
      succNext[2 * k + 1] = next[rowStart[r] + aliasOther[k]];
    }
  }
  // Per call, for each (s, slot j) of π(·|s)'s alias table: actF[3q..] = [cut, step reward of the slot's
  // pair, of the alias's pair] and actI[6q..] = [pair s·A + a, start of its row of P, row length] for the
  // slot then for the alias (q = s·A + j). Integers stay in an Int32Array: indices read from doubles cost
  // a conversion per step.
  const actF = new Float64Array(3 * S * A);
  const actI = new Int32Array(6 * S * A);
  // Variance buffers: the current trajectory's W, the states it touched, Σ_m g_m and Σ_m g_m².
  const trajW = opts.variance ? new Float64Array(S * A) : new Float64Array(0);
  const touched = opts.variance ? new Int32Array(K) : new Int32Array(0);
  const stamp = opts.variance ? new Int32Array(S).fill(-1) : new Int32Array(0);
  const sum = opts.variance ? new Float64Array(S * A) : new Float64Array(0);
  const sumSq = opts.variance ? new Float64Array(S * A) : new Float64Array(0);

  /** Outcome `which` (0: the slot, 1: its alias) of alias slot q is the pair sa: its reward R − τ log π and its row of P. */
  function packPair(q: number, which: number, sa: number, logPi: Float64Array): void {
    actF[3 * q + 1 + which] = tau > 0 ? R[sa] - tau * logPi[sa] : R[sa];
    actI[6 * q + 3 * which] = sa;
    actI[6 * q + 3 * which + 1] = rowStart[sa];
    actI[6 * q + 3 * which + 2] = rowStart[sa + 1] - rowStart[sa];
  }

  function estimate(theta: ArrayLike<number>, rng: Rng, out = new Float64Array(S * A)): GradientEstimate {
    const th = theta instanceof Float64Array && theta.length === S * A ? theta : checkVector('theta', theta, S * A);
    softmaxPolicy(th, S, A, pol);
    const { pi, logPi } = pol;
    for (let s = 0; s < S; s++) {
      const o = s * A;
      buildAlias(pi, o, A, actCut, actOther, aliasWork);
      for (let j = 0; j < A; j++) {
        const q = o + j;
        actF[3 * q] = actCut[q];
        packPair(q, 0, q, logPi);
        packPair(q, 1, o + actOther[q], logPi);
      }
    }
    W.fill(0);
    if (opts.variance) {
      sum.fill(0);
      sumSq.fill(0);
    }
    xoshiroSeed(rng, seed);
    let x0 = seed[0];
    let x1 = seed[1];
    let x2 = seed[2];
    let x3 = seed[3];
    let returnSum = 0;
    for (let m = 0; m < M; m++) {
      // xoshiro128** step (core/xoshiro.ts, xoshiroNext), inlined: the draw for s₀. The three copies of
      // this step below are deliberate: calling xoshiroNext on the Int32Array state measured ≈ 15% fewer
      // steps/s (34 vs 41 M at S=50, 19 vs 23 M at S=500), since the state then lives in memory, not registers.
      let r = Math.imul(x1, 5);
      let w = Math.imul((r << 7) | (r >>> 25), 9);
      let t9 = x1 << 9;
      x2 ^= x0;
      x3 ^= x1;
      x1 ^= x2;
      x0 ^= x3;
      x2 ^= t9;
      x3 = (x3 << 11) | (x3 >>> 21);
      let s = sampleAlias(rhoCut, rhoOther, 0, S, (w >>> 0) * TWO_POW_MINUS_32);
      let disc = 1;
      for (let t = 0; t < K; t++) {
        r = Math.imul(x1, 5);
        w = Math.imul((r << 7) | (r >>> 25), 9);
        t9 = x1 << 9;
        x2 ^= x0;
        x3 ^= x1;
        x1 ^= x2;
        x0 ^= x3;
        x2 ^= t9;
        x3 = (x3 << 11) | (x3 >>> 21);
        // Action: the alias slot q of π(·|s), then the slot itself (0) or its alias (1).
        const x = (w >>> 0) * TWO_POW_MINUS_32 * A;
        const j = x | 0;
        const q = s * A + j;
        const which = x - j < actF[3 * q] ? 0 : 1;
        const e = 6 * q + 3 * which;
        visits[t] = actI[e];
        discounted[t] = disc * actF[3 * q + 1 + which];
        disc *= gamma;
        if (t + 1 < K) {
          r = Math.imul(x1, 5);
          w = Math.imul((r << 7) | (r >>> 25), 9);
          t9 = x1 << 9;
          x2 ^= x0;
          x3 ^= x1;
          x1 ^= x2;
          x0 ^= x3;
          x2 ^= t9;
          x3 = (x3 << 11) | (x3 >>> 21);
          // Successor: the alias slot of the pair's row of P, then its successor or the alias's.
          const y = (w >>> 0) * TWO_POW_MINUS_32 * actI[e + 2];
          const i = y | 0;
          const k = actI[e + 1] + i;
          s = succNext[2 * k + (y - i < aliasCut[k] ? 0 : 1)];
        }
      }
      // Backward pass: GPOMDP adds the reward-to-go G_k, REINFORCE the whole return G_0.
      let G = 0;
      if (reinforce) for (let t = 0; t < K; t++) G += discounted[t];
      for (let t = K - 1; t >= 0; t--) {
        if (!reinforce) G += discounted[t];
        W[visits[t]] += G;
      }
      returnSum += G;
      if (opts.variance) accumulateVariance(m, G);
    }
    for (let s = 0; s < S; s++) {
      const o = s * A;
      let ws = 0;
      for (let a = 0; a < A; a++) ws += W[o + a];
      for (let a = 0; a < A; a++) out[o + a] = (W[o + a] - pi[o + a] * ws) / M;
    }
    const stats: EstimateStats = { envSteps: M * K, trajectories: M, meanReturn: returnSum / M };
    if (opts.variance) {
      const variance = new Float64Array(S * A);
      for (let k = 0; k < S * A; k++) variance[k] = M > 1 ? Math.max(0, (sumSq[k] - (sum[k] * sum[k]) / M) / (M - 1)) : NaN;
      stats.variance = variance;
    }
    return { grad: out, stats };
  }

  /** Add trajectory m's own gradient term g_m = (W_m − π Σ_b W_m) to Σ g and Σ g². */
  function accumulateVariance(m: number, total: number): void {
    const { pi } = pol;
    let nTouched = 0;
    let G = reinforce ? total : 0;
    for (let t = K - 1; t >= 0; t--) {
      if (!reinforce) G += discounted[t];
      trajW[visits[t]] += G;
      const s = (visits[t] / A) | 0;
      if (stamp[s] !== m) {
        stamp[s] = m;
        touched[nTouched++] = s;
      }
    }
    for (let i = 0; i < nTouched; i++) {
      const o = touched[i] * A;
      let ws = 0;
      for (let a = 0; a < A; a++) ws += trajW[o + a];
      for (let a = 0; a < A; a++) {
        const g = trajW[o + a] - pi[o + a] * ws;
        sum[o + a] += g;
        sumSq[o + a] += g * g;
        trajW[o + a] = 0;
      }
      stamp[touched[i]] = -1;
    }
  }

  return { options: opts, estimate };
}

/**
 * One sampled, truncated policy-gradient estimate ∇̂_K J(θ) with M trajectories of K steps
 * (see createGradientEstimator for the estimator, its cost and its random-stream contract).
 * Returns the gradient and stats (env steps, per-coordinate variance unless `variance: false`).
 */
export function estimateGradient(mdp: TabularMDP, theta: ArrayLike<number>, options: SampledOptions, rng: Rng): GradientEstimate {
  if (rng == null || typeof (rng as Partial<Rng>).uniform !== 'function') fail('rng', rng, 'must be a random stream from createRng(seed) (every sampled estimate takes one)');
  return createGradientEstimator(mdp, options).estimate(theta, rng);
}
