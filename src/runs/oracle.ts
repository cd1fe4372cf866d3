import { createExactGradientOracle, createPolicyFactor, type PolicyFactor } from '../estimators/exactOracle';
import { createGradientEstimator } from '../estimators/sampled';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP } from '../mdp/views';
import type { Oracle } from '../algorithms/algorithm';
import type { ResolvedConfig } from '../algorithms/settings';


/**
 * The factor (estimators/exactOracle.ts) that a run's exact oracles and its metrics share: the θ-only work
 * of exact evaluation (π, log π, the LU of I − γP_π, d_ρ) at the last θ, so the metrics at θ̄ and the next
 * round's gradients at θ̄ factor once (dense LU for S ≤ DENSE_SOLVE_LIMIT, P_π and d_ρ by GMRES above);
 * agents whose P differs from agent 0's do not fit it and get their own.
 */
export function createRunFactor(problem: FederatedProblem): PolicyFactor | null {
  return createPolicyFactor(agentMDP(problem, 0));
}

/**
 * One oracle per agent, for the config's oracle kind and entropy τ (buffers allocated once per agent).
 * Exact oracles share `factor` (by default one of their own, createRunFactor).
 */
export function createOracles(problem: FederatedProblem, config: ResolvedConfig, runFactor?: PolicyFactor | null): Oracle[] {
  const entropy = config.entropy;
  const oracle = config.oracle;
  // Agents that share P share the θ-only work of the exact gradient (one LU of I − γP_π per θ).
  const factor = oracle.kind === 'exact' ? (runFactor === undefined ? createRunFactor(problem) : runFactor) : null;
  return problem.rewards.map((_, i) => {
    const mdp = agentMDP(problem, i);
    if (oracle.kind === 'exact') {
      const gradient = createExactGradientOracle(mdp, entropy, factor);
      return (theta, _rng, out) => {
        gradient(theta, out);
        return 0;
      };
    }
    const estimator = createGradientEstimator(mdp, { horizon: oracle.horizon, batch: oracle.batch, estimator: oracle.estimator, entropy, variance: false, ...(config.limits ? { limits: config.limits } : {}) });
    return (theta, rng, out) => estimator.estimate(theta, rng, out).stats.envSteps;
  });
}
