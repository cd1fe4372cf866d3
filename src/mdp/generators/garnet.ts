import { checkInteger, fail } from '../../core/check';
import { checkProblemEntries } from '../../core/limits';
import { GARNET_SCHEMA, type Limits } from '../../core/parameters';
import { validateObject } from '../../core/schema';
import { createRng, type Rng } from '../../core/rng';
import { createProblem, type FederatedProblem } from '../problem';
import type { SparseRow } from '../transitions';

/** Parameters of a federated Garnet problem. */
export interface GarnetOptions {
  states: number;
  actions: number;
  /** Successors per (s,a), b ∈ [1, S]. */
  branching: number;
  agents: number;
  gamma: number;
  /** Spread of the agents' rewards in [0, 1]: 0 identical, 1 independent ('mix') or ±1 around R₀ ('centered'). */
  heterogeneity?: number;
  seed: number | string;
  /**
   * 'mix' (default): R_i = (1 − h) R₀ + h U_i, every R_i in [0, 1].
   * 'centered': R_i = R₀ + h √(N/(N−1)) (U_i − Ū) with Ū = (1/N) Σ_j U_j, so R̄ = R₀ (up to round-off)
   * whatever N: the federated objective, J* and θ* do not change with N, which is what a speedup-in-N sweep
   * needs; and each agent's deviation R_i − R̄ has variance h²/12 per entry for every N ≥ 2 (N = 1: R₁ = R₀).
   */
  rewardModel?: 'mix' | 'centered';
  /**
   * κ ∈ [0, 1], the spread of the agents' transitions (default 0: one shared P, the problem unchanged bit for
   * bit). κ > 0: agent 0 keeps the centre kernel P_c (the Garnet's P); agent j ≥ 1 gets
   * P_j = (1 − κ) P_c + κ U_j with U_j(·|s,a) supported on the states outside P_c's successor set, so
   * ‖P_j(·|s,a) − P_c(·|s,a)‖₁ = 2κ for every (s,a). Needs b < S. Independent of the reward heterogeneity.
   */
  transitionHeterogeneity?: number;
  /**
   * A constant c added to every reward (default 0). It changes neither ∇J nor the gap J* − J, but the
   * variance of the baseline-free estimators grows like c²K/(1−γ)²: experiments with sampled gradients
   * centre the per-step reward with it (c ≈ −(mean reward + τ log A)).
   */
  rewardShift?: number;
  /**
   * K reward clusters (absent: every agent its own reward as above). K centres C_k are drawn exactly as the
   * agents' rewards are at heterogeneity h, with C_k's own table from the stream `seed/reward:cluster:k`;
   * agent i belongs to cluster i mod K (round-robin, `problem.clusterOf`) and has
   * R_i = (1 − s) C_{i mod K} + s W_i (+ rewardShift), W_i ~ U[0,1]^{S·A} from `seed/reward:member:i`.
   */
  rewardClusters?: number;
  /** s ∈ [0, 1]: spread of the agents within a cluster (0: identical to their centre). */
  clusterSpread?: number;
  /** Raise the size limit `problemEntries` (core/parameters.ts). */
  limits?: Partial<Limits>;
}

/**
 * Reward tables of M members drawn from `base` at heterogeneity h, the members' own tables from the streams
 * `root/<prefix>:j`: 'mix' (1 − h) R₀ + h U_j, 'centered' R₀ + h √(M/(M−1)) (U_j − Ū).
 */
function drawRewards(base: Float64Array, count: number, h: number, model: 'mix' | 'centered', root: Rng, prefix: string): Float64Array[] {
  const own = Array.from({ length: count }, (_, j) => {
    const r = root.fold(`${prefix}:${j}`);
    return Float64Array.from(base, () => r.double());
  });
  // √(M/(M−1)) makes Var(R_j − R̄) = h²/12 for every M ≥ 2, so the agents' estimator noise does not grow with M.
  const spread = count > 1 ? Math.sqrt(count / (count - 1)) : 0;
  const ownMean = Float64Array.from(base, (_, k) => own.reduce((acc, v) => acc + v[k], 0) / count);
  return model === 'mix' ? own.map((u) => Float64Array.from(base, (r0, k) => (1 - h) * r0 + h * u[k])) : own.map((u) => Float64Array.from(base, (r0, k) => r0 + h * spread * (u[k] - ownMean[k])));
}

/** b distinct states drawn uniformly without replacement (partial Fisher–Yates), sorted. */
function distinctStates(S: number, b: number, rng: Rng, scratch: Int32Array, picks: Int32Array): number[] {
  // scratch holds 0, 1, …, S−1 on entry and again on return: the b swaps are undone in reverse order, which
  // costs O(b) instead of refilling all S entries (the draws and the result are those of a fresh identity).
  for (let i = 0; i < b; i++) {
    const j = i + Math.floor(rng.double() * (S - i));
    picks[i] = j;
    const t = scratch[i];
    scratch[i] = scratch[j];
    scratch[j] = t;
  }
  const out = Array.from(scratch.subarray(0, b));
  for (let i = b - 1; i >= 0; i--) {
    const j = picks[i];
    const t = scratch[i];
    scratch[i] = scratch[j];
    scratch[j] = t;
  }
  return out.sort((x, y) => x - y);
}

/** Probabilities as the gaps between b − 1 sorted uniforms on [0, 1] (a uniform point of the simplex). */
function simplexPoint(b: number, rng: Rng): number[] {
  const cuts = [0, ...Array.from({ length: b - 1 }, () => rng.double()).sort((x, y) => x - y), 1];
  const p = cuts.slice(1).map((c, i) => c - cuts[i]);
  // Renormalise so that the row sums to 1 to the last bit that division allows.
  const z = p.reduce((x, y) => x + y, 0);
  return p.map((x) => x / z);
}

/**
 * U_j(·|s,a) for one row: iid U[0,1] weights on the complement of the successor set `mask`, normalised
 * (the "orthogonal" perturbation of Jin, Peng, Yang, Wang, Zhang, AISTATS 2022, with the Garnet's
 * successor sets as the support mask). Returns the complement states and their probabilities.
 */
function complementPoint(S: number, mask: readonly number[], rng: Rng): { next: number[]; prob: number[] } {
  const inMask = new Uint8Array(S);
  for (const s of mask) inMask[s] = 1;
  const next: number[] = [];
  for (let s = 0; s < S; s++) if (!inMask[s]) next.push(s);
  const w = next.map(() => rng.double());
  const z = w.reduce((x, y) => x + y, 0);
  return { next, prob: w.map((x) => x / z) };
}

/**
 * Agent j's rows P_j = (1 − κ) P_c + κ U_j (κ > 0, j ≥ 1): the centre row on its successors, κ U_j on the
 * complement; stream `seed/transitions:agent:j`, so the centre kernel and the rewards do not move.
 */
function perturbedRows(S: number, centre: readonly SparseRow[], kappa: number, rng: Rng): SparseRow[] {
  return centre.map((row) => {
    const u = complementPoint(S, Array.from(row.next), rng);
    return {
      next: [...Array.from(row.next), ...u.next],
      prob: [...Array.from(row.prob, (p) => (1 - kappa) * p), ...u.prob.map((p) => kappa * p)],
    };
  });
}

/**
 * A Garnet (Archibald et al. 1995) shared by N agents. P: for each (s,a), b distinct successors drawn
 * uniformly, with probabilities a uniform point of the simplex. Rewards (our choice, the paper leaves it
 * open): a base table R₀ ~ U[0,1]^{S·A} and independent tables U_i ~ U[0,1]^{S·A};
 * R_i = (1 − h) R₀ + h U_i, so every R_i ∈ [0,1], h = 0 gives identical agents and h = 1 independent ones.
 * The 'centered' model R_i = R₀ + h √(N/(N−1)) (U_i − Ū) keeps R̄ = R₀ for every N (GarnetOptions.rewardModel), and
 * `rewardShift` adds a constant to every reward. ρ is uniform. Streams: `seed/transitions`,
 * `seed/reward:base`, `seed/reward:agent:i`, so agent i's 'mix' reward does not change when N changes.
 * With `transitionHeterogeneity` κ > 0 the agents' transitions differ (GarnetOptions.transitionHeterogeneity;
 * dense rows for j ≥ 1, so the tables hold S·A·b + (N − 1)·S·A·S transition entries).
 */
export function garnet(options: GarnetOptions): FederatedProblem {
  const o = validateObject('', options, GARNET_SCHEMA, 'garnet options');
  const S = o.states as number;
  const A = o.actions as number;
  const b = checkInteger('branching', o.branching, 1, S);
  const N = o.agents as number;
  const h = o.heterogeneity as number;
  const kappa = o.transitionHeterogeneity as number;
  // Agent i is in cluster i mod K: with K > N clusters K − N would be empty, and the problem would silently have N.
  if (o.rewardClusters !== undefined && (o.rewardClusters as number) > N) fail('rewardClusters', o.rewardClusters, `is ${String(o.rewardClusters)}, more reward clusters than agents (N = ${N}): ${(o.rewardClusters as number) - N} of them would have no agent; give at most N`);
  if (kappa > 0 && b === S) fail('transitionHeterogeneity', kappa, `needs branching b < S (b = S = ${S} leaves no states outside the successor sets for U_j)`);
  if (kappa > 0) {
    checkProblemEntries('states', S * A * b + (N - 1) * S * A * S + N * S * A, `S·A·b + (N−1)·S·A·S + N·S·A = ${S}·${A}·${b} + ${N - 1}·${S}·${A}·${S} + ${N}·${S}·${A}`, o.limits);
  } else checkProblemEntries('states', S * A * b + N * S * A, `S·A·b + N·S·A = ${S}·${A}·${b} + ${N}·${S}·${A}`, o.limits);
  const root = createRng(options.seed);
  const transitionRng = root.fold('transitions');
  const scratch = Int32Array.from({ length: S }, (_, i) => i);
  const picks = new Int32Array(b);
  const rows: SparseRow[] = [];
  for (let r = 0; r < S * A; r++) rows.push({ next: distinctStates(S, b, transitionRng, scratch, picks), prob: simplexPoint(b, transitionRng) });
  const baseRng = root.fold('reward:base');
  const base = Float64Array.from({ length: S * A }, () => baseRng.double());
  const model = o.rewardModel as 'mix' | 'centered';
  const shift = o.rewardShift as number;
  const K = o.rewardClusters as number | undefined;
  const clusterSpread = o.clusterSpread as number;
  let rewards: Float64Array[];
  let clusterOf: number[] | undefined;
  if (K === undefined) {
    rewards = drawRewards(base, N, h, model, root, 'reward:agent').map((r) => r.map((x) => x + shift));
  } else {
    const centres = drawRewards(base, K, h, model, root, 'reward:cluster');
    clusterOf = Array.from({ length: N }, (_, i) => i % K);
    rewards = clusterOf.map((k, i) => {
      const w = root.fold(`reward:member:${i}`);
      return Float64Array.from(centres[k], (c) => (1 - clusterSpread) * c + clusterSpread * w.double() + shift);
    });
  }
  const kernels = kappa > 0 ? { agentTransitions: Array.from({ length: N }, (_, j) => ({ rows: j === 0 ? rows : perturbedRows(S, rows, kappa, root.fold(`transitions:agent:${j}`)) })) } : { transitions: { rows } };
  const problem = createProblem({
    name: `garnet-S${S}-A${A}-b${b}-N${N}-h${h}${model === 'centered' ? '-centered' : ''}${K !== undefined ? `-K${K}-s${clusterSpread}` : ''}${shift !== 0 ? `-shift${shift}` : ''}${kappa > 0 ? `-k${kappa}` : ''}-seed${options.seed}`,
    S,
    A,
    gamma: options.gamma,
    rho: new Float64Array(S).fill(1 / S),
    ...kernels,
    rewards,
    meta: { generator: 'garnet', ...options },
  });
  return clusterOf ? { ...problem, clusterOf } : problem;
}
