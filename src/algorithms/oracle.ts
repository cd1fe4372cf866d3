import type { Rng } from '../core/rng';
import { createExactGradientOracle, createPolicyFactor } from '../estimators/exactOracle';
import { createGradientEstimator } from '../estimators/sampled';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP } from '../mdp/views';
import type { ResolvedConfig } from './config';

/** Agent i's gradient oracle ĝ_i(θ): writes into `out`, returns the environment steps it used. */
export type Oracle = (theta: Float64Array, rng: Rng, out: Float64Array) => number;

/** One oracle per agent, for the config's oracle kind and entropy τ (buffers allocated once per agent). */
export function createOracles(problem: FederatedProblem, config: ResolvedConfig): Oracle[] {
  const entropy = config.entropy;
  const oracle = config.oracle;
  // Agents that share P share the θ-only work of the exact gradient (one LU of I − γP_π per θ).
  const factor = oracle.kind === 'exact' ? createPolicyFactor(agentMDP(problem, 0)) : undefined;
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
