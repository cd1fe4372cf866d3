import { buildAlias } from '../core/alias';
import { xoshiroSeed } from '../core/xoshiro';
import { type XoshiroJumpTable, xoshiroJump, xoshiroJumpTable } from '../core/xoshiroJump';
import { fail } from '../core/check';
import { resolveLimits } from '../core/limits';
import { ESTIMATOR_SCHEMA } from '../core/parameters';
import { validateObject } from '../core/schema';
import type { Rng } from '../core/rng';
import { softmaxLogRows } from '../core/softmax';
import type { TabularMDP } from '../mdp/problem';
import { checkEstimateSize } from './estimateSize';
import { acceptTheta, createThetaCache } from './thetaCache';
import { walkOne, type WalkTables } from './walk';
import { createWalkKernel } from './walkKernel';

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
  const horizon = o.horizon as number;
  const batch = o.batch as number;
  checkEstimateSize('batch', horizon, batch, resolveLimits('limits', o.limits));
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
 * a backward pass per trajectory adds G_k into W; π is applied once at the end. Per new θ, O(S·A) work
 * builds π, its alias tables and a packed table per (s, alias slot) holding, for both outcomes of the
 * slot, the pair index s·A + a, its reward and its row of P, so that a step reads one entry of it and one
 * entry of P's packed alias table; it is skipped when θ equals the previous call's (the O(d) pass that
 * validates θ compares it too). Four trajectories are walked in lockstep, and the walk, the backward
 * pass and (for τ = 0) the per-θ tables run in a WebAssembly kernel (walk.wat, walkKernel.ts);
 * docs/performance.md says why and how, bench/RESULTS.md measures it.
 *
 * Random stream contract: four 32-bit draws of `rng.uniform` seed a xoshiro128** generator
 * (core/xoshiro.ts), which then gives, per trajectory, one uniform for s₀ ~ ρ and per step one for the
 * action and one for the successor (none after the last step), in that order, trajectory after
 * trajectory. The lanes keep it exactly: lane l starts l·L trajectories into the stream (jump-ahead,
 * core/xoshiroJump.ts), and W sums the trajectories in their order, so every sum is formed as in a
 * sequential walk.
 */
export function createGradientEstimator(mdp: TabularMDP, options: SampledOptions): GradientEstimator {
  const opts = checkSampledOptions(options, true);
  const { S, A, gamma, transitions: P, reward: R, rhoCut, rhoOther } = mdp;
  const { horizon: K, batch: M, entropy: tau } = opts;
  const reinforce = opts.estimator === 'reinforce';
  const actCut = new Float64Array(S * A);
  const actOther = new Int32Array(S * A);
  const aliasWork = new Int32Array(2 * A);
  const { rowStart, next, aliasCut, aliasOther } = P;
  // Trajectories per lane and group (a group of 4L trajectories is walked, then accumulated in order).
  const L = lanesLength(M, K);
  const slots = 4 * L + 1; // the last slot takes the steps of idle lanes
  // The walk's tables and buffers live in the WebAssembly kernel's memory (8-byte aligned blocks).
  let bytes = 0;
  const at = (n: number) => {
    const start = bytes;
    bytes += Math.ceil(n / 8) * 8;
    return start;
  };
  const off = {
    lanes: at(64), rhoCut: at(8 * S), rhoOther: at(4 * S), actF: at(24 * S * A), actI: at(24 * S * A),
    succ: at(8 * next.length), aliasCut: at(8 * next.length), visits: at(4 * slots * K), discounted: at(8 * slots * K),
    W: at(8 * S * A), theta: at(8 * S * A), pi: at(8 * S * A),
    R: at(8 * S * A), rowStart: at(4 * (S * A + 1)), scratch: at(20 * A),
  };
  const kernel = createWalkKernel(bytes);
  const mem = kernel.buffer;
  const tb: WalkTables = {
    S, A, K, gamma,
    rhoCut: new Float64Array(mem, off.rhoCut, S),
    rhoOther: new Int32Array(mem, off.rhoOther, S),
    aliasCut: new Float64Array(mem, off.aliasCut, next.length),
    // P's alias tables resolved per entry k of a row: succNext[2k] is s' when the draw falls below the
    // cut aliasCut[k], succNext[2k+1] the alias slot's s'.
    succNext: new Int32Array(mem, off.succ, 2 * next.length),
    // Per θ, for each (s, slot j) of π(·|s)'s alias table: actF[3q..] = [cut, step reward of the slot's
    // pair, of the alias's pair] and actI[6q..] = [pair s·A + a, start of its row of P, row length] for the
    // slot then for the alias (q = s·A + j). Integers stay in an Int32Array: indices read from doubles cost
    // a conversion per step.
    actF: new Float64Array(mem, off.actF, 3 * S * A),
    actI: new Int32Array(mem, off.actI, 6 * S * A),
    visits: new Int32Array(mem, off.visits, slots * K),
    discounted: new Float64Array(mem, off.discounted, slots * K),
  };
  tb.rhoCut.set(rhoCut);
  tb.rhoOther.set(rhoOther);
  tb.aliasCut.set(aliasCut);
  for (let r = 0; r < S * A; r++) {
    for (let k = rowStart[r]; k < rowStart[r + 1]; k++) {
      tb.succNext[2 * k] = next[k];
      tb.succNext[2 * k + 1] = next[rowStart[r] + aliasOther[k]];
    }
  }
  kernel.init(S, A, K, gamma, off.lanes, off.rhoCut, off.rhoOther, off.actF, off.actI, off.succ, off.aliasCut, off.visits, off.discounted, off.W);
  // W(s,a) = Σ over visits k to (s,a) of G_k, summed by the kernel.
  const W = new Float64Array(mem, off.W, S * A);
  new Float64Array(mem, off.R, S * A).set(R);
  new Int32Array(mem, off.rowStart, S * A + 1).set(rowStart);
  kernel.initPack(off.pi, off.R, off.rowStart, off.scratch);
  const { actF, actI, visits, discounted } = tb;
  // Four xoshiro128** states, one per lane; lane l starts l·L trajectories (2K draws each) after lane 0.
  const lanes = new Int32Array(mem, off.lanes, 16);
  const jump = M > L ? xoshiroJumpTable(2 * K * L) : null;
  const cache = createThetaCache(S * A, new Float64Array(mem, off.theta, S * A));
  const pol = { pi: new Float64Array(mem, off.pi, S * A), logPi: new Float64Array(tau > 0 ? S * A : 0) };
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

  /** The per-θ setup, O(S·A): π, its alias tables and the packed step tables. */
  function prepare(th: Float64Array): void {
    if (tau === 0) {
      // In the kernel: its exp is Math.exp's algorithm bit for bit, its alias construction core/alias.ts's.
      kernel.softmax(off.theta, off.pi, S, A);
      kernel.pack(S, A);
      return;
    }
    softmaxLogRows(th, S, A, pol.pi, pol.logPi);
    const { logPi } = pol;
    for (let s = 0; s < S; s++) {
      const o = s * A;
      buildAlias(pol.pi, o, A, actCut, actOther, aliasWork);
      for (let j = 0; j < A; j++) {
        const q = o + j;
        actF[3 * q] = actCut[q];
        packPair(q, 0, q, logPi);
        packPair(q, 1, o + actOther[q], logPi);
      }
    }
  }

  function estimate(theta: ArrayLike<number>, rng: Rng, out = new Float64Array(S * A)): GradientEstimate {
    if (acceptTheta('theta', theta, cache)) prepare(cache.theta);
    const { pi } = pol;
    W.fill(0);
    if (opts.variance) {
      sum.fill(0);
      sumSq.fill(0);
    }
    xoshiroSeed(rng, lanes);
    let returnSum = 0;
    for (let g = 0; g < M; g += 4 * L) {
      const n = Math.min(4 * L, M - g);
      walkGroup(n);
      // Backward pass, trajectories in order m = g, g+1, …: GPOMDP adds the reward-to-go G_k, REINFORCE G_0.
      returnSum = kernel.accumulate(n, reinforce ? 1 : 0, returnSum);
      if (opts.variance) for (let j = 0; j < n; j++) accumulateVariance(g + j, j * K);
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

  /**
   * Walk the n ≤ 4L trajectories of a group from the stream state in lane 0. Lane l takes trajectories
   * l·L … l·L + L − 1 of the group (its state jumped l·L·2K draws ahead), and the kernel steps the four
   * lanes in lockstep; after a full group lane 3 stands where trajectory g + 4L starts. A group that would
   * leave lanes idle for more than a quarter of its slots (M < 4, the tail of some batches) is walked
   * one trajectory after another on lane 0 instead, which also leaves lane 0 at the next trajectory.
   */
  function walkGroup(n: number): void {
    const count = (l: number) => Math.max(0, Math.min(L, n - l * L));
    if (n < 3 * count(0)) {
      for (let j = 0; j < n; j++) walkOne(tb, lanes, 0, j);
      return;
    }
    for (let l = 1; l < 4 && count(l) > 0; l++) xoshiroJump(jump as XoshiroJumpTable, lanes, 4 * (l - 1), lanes, 4 * l);
    kernel.walk(count(0), L, count(0), count(1), count(2), count(3));
    if (n === 4 * L) lanes.copyWithin(0, 12, 16);
  }

  /** Add trajectory m's own gradient term g_m = (W_m − π Σ_b W_m) to Σ g and Σ g² (its steps at buffer offset o). */
  function accumulateVariance(m: number, o: number): void {
    const { pi } = pol;
    let nTouched = 0;
    let G = 0;
    if (reinforce) for (let t = 0; t < K; t++) G += discounted[o + t];
    for (let t = K - 1; t >= 0; t--) {
      if (!reinforce) G += discounted[o + t];
      const sa = visits[o + t];
      trajW[sa] += G;
      const s = (sa / A) | 0;
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

/** Steps buffered per group (4L·K): the walk's buffers stay within L2 next to the tables. */
const GROUP_STEPS = 1 << 14;

/** L, the trajectories per lane in a group: M spread over four lanes, bounded by the buffer. */
function lanesLength(M: number, K: number): number {
  return Math.max(1, Math.min(Math.ceil(M / 4), Math.floor(GROUP_STEPS / (4 * K))));
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
