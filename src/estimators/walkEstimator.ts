import { buildAlias } from '../core/alias';
import type { Rng } from '../core/rng';
import { softmaxLogRows } from '../core/softmax';
import { xoshiroSeed } from '../core/xoshiro';
import { type XoshiroJumpTable, xoshiroJump, xoshiroJumpTable } from '../core/xoshiroJump';
import type { TabularMDP } from '../mdp/problem';
import { parameterDimension } from '../policy/softmax';
import type { EstimatorSettings } from './reference';
import { acceptTheta, createThetaCache } from './thetaCache';
import { createWalkKernel } from './walkKernel';

/** What an estimate returns before it is packaged (estimators/sampled.ts): Σ_m G_0, and Σ_m g_m, Σ_m g_m² with `variance`. */
export interface EstimateSums {
  returns: number;
  sum: Float64Array | null;
  sumSq: Float64Array | null;
}

/**
 * The fast tabular backend of the sampled estimator: estimators/reference.ts's estimate for the tabular
 * softmax on a TabularMDP, with the same random-stream contract, so the same trajectories bit for bit
 * (test/referenceEstimator.test.ts). How it is fast:
 *
 * O(1) work per environment step: exchanging the sums, ĝ = (1/M) Σ_m Σ_k G_k ∇log π(a_k|s_k), and since
 * ∇log π(a|s) = e_{s,a} − π(·|s) on row s,
 *   ĝ(s,a) = (W(s,a) − π(a|s) Σ_b W(s,b)) / M,  W(s,a) = Σ over visits k to (s,a) of G_k.
 * A step therefore draws an action and a successor (alias tables, O(1)) and stores (s,a) and γ^t r_t; the
 * kernel's backward pass adds G_k into W; π is applied once at the end (so the sums are formed in another
 * order than the reference's per-visit scores: equal to round-off). Per new θ, O(S·A) work builds π, its
 * alias tables and a packed table per (s, alias slot) holding, for both outcomes of the slot, the pair index
 * s·A + a, its step reward and its row of P, so that a step reads one entry of it and one entry of P's
 * packed alias table; it is skipped when θ equals the previous call's (the O(d) pass that validates θ
 * compares it too). Four trajectories are walked in lockstep in the WebAssembly kernel (walk.wat,
 * walkKernel.ts), which also forms the per-θ tables for τ = 0; docs/performance.md says why and how,
 * bench/RESULTS.md measures it. The lanes keep the stream contract exactly: lane l starts l·L trajectories
 * into the stream (jump-ahead, core/xoshiroJump.ts), and W sums the trajectories in their order.
 *
 * Memory (the kernel's, 8-byte aligned blocks): ρ's and P's alias tables (P's resolved per entry k of a row:
 * succNext[2k] is s' below the cut aliasCut[k], succNext[2k+1] the alias slot's s'); per θ, for each
 * (s, slot j) of π(·|s)'s alias table, actF[3q..] = [cut, step reward of the slot's pair, of the alias's
 * pair] and actI[6q..] = [pair s·A + a, start of its row of P, row length] for the slot then for the alias
 * (q = s·A + j; integers stay in an Int32Array: indices read from doubles cost a conversion per step); the
 * walk's buffers visits[j·K + t] = s_t·A + a_t and discounted[j·K + t] = γ^t r_t for trajectory slot j.
 * With `pull` (a log-linear class; estimators/sampled.ts) θ is the logits and each state's row of the result
 * (and of each trajectory's term, for the variance) is pulled back to R^d.
 */
/**
 * How a log-linear class's estimate leaves the kernel: the kernel walks at the logits ℓ = Φθ and sums over
 * state–action pairs; `addRow(s, g, out)` adds Σ_a g[a] φ(s, a) into a d-vector (the pull-back of one state's
 * row). With it, `estimate` writes Φᵀĝ (length d) and the variance is that of the per-trajectory Φᵀg_m.
 */
export interface RowPullBack {
  readonly dimension: number;
  addRow(s: number, g: Float64Array, out: Float64Array): void;
}

export function createWalkEstimator(mdp: TabularMDP, settings: EstimatorSettings, pull: RowPullBack | null = null): { estimate(theta: ArrayLike<number>, rng: Rng, out: Float64Array): EstimateSums } {
  const { S, A, gamma, transitions: P, reward: R, rhoCut, rhoOther } = mdp;
  const { horizon: K, batch: M, entropy: tau, reinforce } = settings;
  const d = parameterDimension(mdp);
  const actCut = new Float64Array(S * A);
  const actOther = new Int32Array(S * A);
  const aliasWork = new Int32Array(2 * A);
  const { rowStart, next, aliasCut, aliasOther } = P;
  // Trajectories per lane and group (a group of 4L trajectories is walked, then accumulated in order).
  const L = lanesLength(M, K);
  const slots = 4 * L + 1; // the last slot takes the steps of idle lanes
  let bytes = 0;
  const at = (n: number) => {
    const start = bytes;
    bytes += Math.ceil(n / 8) * 8;
    return start;
  };
  const off = {
    lanes: at(64), rhoCut: at(8 * S), rhoOther: at(4 * S), actF: at(24 * S * A), actI: at(24 * S * A),
    succ: at(8 * next.length), aliasCut: at(8 * next.length), visits: at(4 * slots * K), discounted: at(8 * slots * K),
    W: at(8 * d), theta: at(8 * d), pi: at(8 * S * A),
    R: at(8 * S * A), rowStart: at(4 * (S * A + 1)), scratch: at(20 * A), trajW: at(settings.variance ? 8 * S * A : 0),
  };
  const kernel = createWalkKernel(bytes);
  const mem = kernel.buffer;
  new Float64Array(mem, off.rhoCut, S).set(rhoCut);
  new Int32Array(mem, off.rhoOther, S).set(rhoOther);
  new Float64Array(mem, off.aliasCut, next.length).set(aliasCut);
  const succNext = new Int32Array(mem, off.succ, 2 * next.length);
  for (let r = 0; r < S * A; r++) {
    for (let k = rowStart[r]; k < rowStart[r + 1]; k++) {
      succNext[2 * k] = next[k];
      succNext[2 * k + 1] = next[rowStart[r] + aliasOther[k]];
    }
  }
  kernel.init(S, A, K, gamma, off.lanes, off.rhoCut, off.rhoOther, off.actF, off.actI, off.succ, off.aliasCut, off.visits, off.discounted);
  new Float64Array(mem, off.R, S * A).set(R);
  new Int32Array(mem, off.rowStart, S * A + 1).set(rowStart);
  kernel.initPack(off.pi, off.R, off.rowStart, off.scratch);
  const actF = new Float64Array(mem, off.actF, 3 * S * A);
  const actI = new Int32Array(mem, off.actI, 6 * S * A);
  const visits = new Int32Array(mem, off.visits, slots * K);
  // W(s,a) = Σ over visits k to (s,a) of G_k, summed by the kernel.
  const W = new Float64Array(mem, off.W, d);
  // Four xoshiro128** states, one per lane; lane l starts l·L trajectories (2K draws each) after lane 0.
  const lanes = new Int32Array(mem, off.lanes, 16);
  const jump = M > L ? xoshiroJumpTable(2 * K * L) : null;
  const cache = createThetaCache(d, new Float64Array(mem, off.theta, d));
  const pi = new Float64Array(mem, off.pi, S * A);
  const logPi = new Float64Array(tau > 0 ? S * A : 0);
  // Variance: one trajectory's W (summed by the kernel), the states it touched, Σ_m g_m and Σ_m g_m².
  const trajW = new Float64Array(mem, off.trajW, settings.variance ? S * A : 0);
  const stamp = settings.variance ? new Int32Array(S).fill(-1) : new Int32Array(0);
  const touched = new Int32Array(settings.variance ? K : 0);
  // A log-linear class: d, one row's term, one trajectory's pulled-back term.
  const dOut = pull ? pull.dimension : d;
  const row = new Float64Array(pull ? A : 0);
  const pulled = new Float64Array(pull && settings.variance ? dOut : 0);

  /** Outcome `which` (0: the slot, 1: its alias) of alias slot q is the pair sa: its reward R − τ log π and its row of P. */
  function packPair(q: number, which: number, sa: number): void {
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
    softmaxLogRows(th, S, A, pi, logPi);
    for (let s = 0; s < S; s++) {
      const o = s * A;
      buildAlias(pi, o, A, actCut, actOther, aliasWork);
      for (let j = 0; j < A; j++) {
        const q = o + j;
        actF[3 * q] = actCut[q];
        packPair(q, 0, q);
        packPair(q, 1, o + actOther[q]);
      }
    }
  }

  /**
   * Walk the n ≤ 4L trajectories of a group from the stream state in lane 0. Lane l takes trajectories
   * l·L … l·L + L − 1 of the group (its state jumped l·L·2K draws ahead), and the kernel steps the four
   * lanes in lockstep (lanes without a trajectory walk into the scratch slot); after a full group lane 3
   * stands where trajectory g + 4L starts. Only the last group of a batch can be short.
   */
  function walkGroup(n: number): void {
    const count = (l: number) => Math.max(0, Math.min(L, n - l * L));
    for (let l = 1; l < 4 && count(l) > 0; l++) xoshiroJump(jump as XoshiroJumpTable, lanes, 4 * (l - 1), lanes, 4 * l);
    kernel.walk(count(0), L, count(0), count(1), count(2), count(3));
    if (n === 4 * L) lanes.copyWithin(0, 12, 16);
  }

  /** Add trajectory slot j's own term g_j = W_j − π Σ_b W_j (row by row) to Σ g and Σ g²; W_j from the kernel. */
  function addToVariance(j: number, sum: Float64Array, sumSq: Float64Array): void {
    kernel.accumulate(j, 1, reinforce ? 1 : 0, 0, off.trajW);
    let nTouched = 0;
    for (let t = 0; t < K; t++) {
      const s = (visits[j * K + t] / A) | 0;
      if (stamp[s] !== j) {
        stamp[s] = j;
        touched[nTouched++] = s;
      }
    }
    for (let i = 0; i < nTouched; i++) {
      const o = touched[i] * A;
      let ws = 0;
      for (let a = 0; a < A; a++) ws += trajW[o + a];
      for (let a = 0; a < A; a++) {
        const g = trajW[o + a] - pi[o + a] * ws;
        if (pull) row[a] = g;
        else {
          sum[o + a] += g;
          sumSq[o + a] += g * g;
        }
        trajW[o + a] = 0;
      }
      if (pull) pull.addRow(touched[i], row, pulled);
      stamp[touched[i]] = -1;
    }
    if (pull) {
      for (let k = 0; k < dOut; k++) {
        const g = pulled[k];
        sum[k] += g;
        sumSq[k] += g * g;
        pulled[k] = 0;
      }
    }
  }

  return {
    estimate(theta, rng, out) {
      if (acceptTheta('theta', theta, cache)) prepare(cache.theta);
      W.fill(0);
      const sum = settings.variance ? new Float64Array(dOut) : null;
      const sumSq = settings.variance ? new Float64Array(dOut) : null;
      xoshiroSeed(rng, lanes);
      let returns = 0;
      for (let g = 0; g < M; g += 4 * L) {
        const n = Math.min(4 * L, M - g);
        walkGroup(n);
        // Backward pass, trajectories in order m = g, g+1, …: GPOMDP adds the reward-to-go G_k, REINFORCE G_0.
        returns = kernel.accumulate(0, n, reinforce ? 1 : 0, returns, off.W);
        if (sum && sumSq) for (let j = 0; j < n; j++) addToVariance(j, sum, sumSq);
      }
      if (pull) {
        out.fill(0);
        for (let s = 0; s < S; s++) {
          const o = s * A;
          let ws = 0;
          let visited = false;
          for (let a = 0; a < A; a++) {
            ws += W[o + a];
            if (W[o + a] !== 0) visited = true;
          }
          if (!visited) continue; // its row is 0: nothing to pull back
          for (let a = 0; a < A; a++) row[a] = (W[o + a] - pi[o + a] * ws) / M;
          pull.addRow(s, row, out);
        }
        return { returns, sum, sumSq };
      }
      for (let s = 0; s < S; s++) {
        const o = s * A;
        let ws = 0;
        for (let a = 0; a < A; a++) ws += W[o + a];
        for (let a = 0; a < A; a++) out[o + a] = (W[o + a] - pi[o + a] * ws) / M;
      }
      return { returns, sum, sumSq };
    },
  };
}

/** Steps buffered per group (4L·K): the walk's buffers stay within L2 next to the tables. */
const GROUP_STEPS = 1 << 14;

/** L, the trajectories per lane in a group: M spread over four lanes, bounded by the buffer. */
function lanesLength(M: number, K: number): number {
  return Math.max(1, Math.min(Math.ceil(M / 4), Math.floor(GROUP_STEPS / (4 * K))));
}
