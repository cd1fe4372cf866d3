import type { Rng } from '../core/rng';
import { exactGradient } from '../estimators/exact';
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
  return problem.rewards.map((_, i) => {
    const mdp = agentMDP(problem, i);
    if (oracle.kind === 'exact') {
      return (theta, _rng, out) => {
        out.set(exactGradient(mdp, theta, { entropy }));
        return 0;
      };
    }
    const estimator = createGradientEstimator(mdp, { horizon: oracle.horizon, batch: oracle.batch, estimator: oracle.estimator, entropy, variance: false, ...(config.limits ? { limits: config.limits } : {}) });
    return (theta, rng, out) => estimator.estimate(theta, rng, out).stats.envSteps;
  });
}
