import { fail } from '../core/check';
import { truncatedGradient } from '../estimators/truncated';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP } from '../mdp/views';

/** The Hoeffding bound on IFCA's picks for fixed models, per agent. */
export interface PickBound {
  /** Per agent i: min(1, Σ_{k≠c_i} exp(−M Δ_ik² / (2 (b − a)²))), c_i its true cluster. */
  perAgent: number[];
  /** 1 − (1/N) Σ_i perAgent[i], at least 0: a lower bound on the expected fraction of right picks. */
  accuracy: number;
  /** Δ_ik = J_{i,K}(θ_{c_i}) − J_{i,K}(θ_k) for k ≠ c_i, per agent (the values the bound uses). */
  gaps: number[][];
  /** b − a = (max R_i − min R_i)(1 − γ^K)/(1 − γ), the range of one truncated return of agent i. */
  ranges: number[];
}

/**
 * Hoeffding's bound on a wrong pick of IFCA (docs/clustering.md, "How often a pick is wrong") when the K
 * models are fixed and model k is true cluster k's (models[k] for the label k of `problem.clusterOf`).
 * Agent i compares M-trajectory mean truncated returns; against model k its pick is wrong with probability
 * at most exp(−M Δ_ik² / (2 (b − a)²)), Δ_ik = J_{i,K}(θ_{c_i}) − J_{i,K}(θ_k) (exact K-truncated values,
 * estimators/truncated.ts), and a union bound over k ≠ c_i gives the agent's bound (1 when some Δ_ik ≤ 0:
 * then nothing is guaranteed). Valid for τ = 0 (the return is then in [a, b]).
 */
export function pickErrorBound(problem: FederatedProblem, models: readonly ArrayLike<number>[], options: { horizon: number; batch: number }): PickBound {
  const truth = problem.clusterOf;
  if (!truth) fail('problem.clusterOf', truth, 'is missing: the bound needs the true clusters (garnet with rewardClusters)');
  const K = Math.max(...truth) + 1;
  if (models.length !== K) fail('models', models.length, `must be one model per true cluster (${K})`);
  const { horizon, batch } = options;
  if (!(Number.isInteger(horizon) && horizon >= 1)) fail('horizon', horizon, 'must be an integer ≥ 1');
  if (!(Number.isInteger(batch) && batch >= 1)) fail('batch', batch, 'must be an integer ≥ 1');
  const gaps: number[][] = [];
  const ranges: number[] = [];
  const perAgent = truth.map((c, i) => {
    const mdp = agentMDP(problem, i);
    const J = models.map((theta) => truncatedGradient(mdp, theta, { horizon }).J);
    const r = problem.rewards[i];
    const range = ((Math.max(...r) - Math.min(...r)) * (1 - problem.gamma ** horizon)) / (1 - problem.gamma);
    const d = J.flatMap((j, k) => (k === c ? [] : [J[c] - j]));
    gaps.push(d);
    ranges.push(range);
    if (d.some((x) => x <= 0) || range === 0) return 1;
    return Math.min(1, d.reduce((s, x) => s + Math.exp((-batch * x * x) / (2 * range * range)), 0));
  });
  const accuracy = Math.max(0, 1 - perAgent.reduce((s, p) => s + p, 0) / perAgent.length);
  return { perAgent, accuracy, gaps, ranges };
}
