import { fail } from '../core/check';
import { evaluatePolicy } from '../policy/evaluatePolicy';
import { optimalValue } from '../mdp/optimal';
import type { FederatedProblem } from '../mdp/problem';
import { withReward } from '../mdp/views';

/** Per true cluster k: J_k* of the cluster's mean reward and the members' mean gap J_k* − J_k(θ_i). */
export interface ClusterGap {
  cluster: number;
  members: number[];
  /** J_k* by value iteration on the cluster's mean reward R̄_k = (1/|C_k|) Σ_{i∈C_k} R_i. */
  optimum: number;
  /** (1/|C_k|) Σ_{i∈C_k} (J_k* − J_k(θ_i)), J_k the cluster-mean MDP's objective. */
  gap: number;
}

/**
 * Per-cluster gaps of the parameters each agent uses (`agentTheta[i]`, e.g. `run.personal`) against the
 * ground truth `problem.clusterOf` (garnet's rewardClusters), with entropy τ.
 */
export function clusterGaps(problem: FederatedProblem, agentTheta: readonly ArrayLike<number>[], entropy = 0): ClusterGap[] {
  const clusterOf = problem.clusterOf;
  if (!clusterOf) fail('problem.clusterOf', clusterOf, 'is missing: the problem has no ground-truth clusters (garnet with rewardClusters)');
  if (agentTheta.length !== clusterOf.length) fail('agentTheta', agentTheta.length, `must have one θ per agent (${clusterOf.length})`);
  const K = Math.max(...clusterOf) + 1;
  return Array.from({ length: K }, (_, k) => {
    const members = clusterOf.flatMap((c, i) => (c === k ? [i] : []));
    const reward = Float64Array.from(problem.rewards[0], (_, q) => members.reduce((s, i) => s + problem.rewards[i][q], 0) / members.length);
    const mdp = withReward(problem, reward, `cluster ${k}`);
    const optimum = optimalValue(mdp, { entropy }).J;
    const gap = members.reduce((s, i) => s + optimum - evaluatePolicy(mdp, agentTheta[i], { entropy }).J, 0) / members.length;
    return { cluster: k, members, optimum, gap };
  });
}
