import { checkVector } from '../core/check';
import { createExactGradientOracle, createPolicyFactor, type PolicyFactor } from '../estimators/exactOracle';
import { createGradientEstimator } from '../estimators/sampled';
import type { FederatedProblem } from '../mdp/problem';
import { agentMDP } from '../mdp/views';
import type { Oracle } from '../algorithms/algorithm';
import type { ResolvedConfig } from '../algorithms/settings';
import { featureLogits, pullBack } from '../policy/logLinear';
import type { PolicyClass } from '../policy/policyClass';


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
 * One oracle per agent, for the config's oracle kind, entropy τ and policy class (buffers allocated once per
 * agent). Exact oracles share `factor` (by default one of their own, createRunFactor); for a log-linear
 * class they work at the logits ℓ = Φθ and pull the gradient back, ∇J(θ) = Φᵀ∇_ℓJ (estimators/exact.ts),
 * which for one-hot features (ℓ = θ, Φᵀ = I) is the tabular oracle's arithmetic exactly.
 */
export function createOracles(problem: FederatedProblem, config: ResolvedConfig, runFactor?: PolicyFactor | null, policy?: PolicyClass<number>): Oracle[] {
  const features = policy?.features ?? null;
  const logits = features ? new Float64Array(problem.S * problem.A) : null;
  const logitGradient = features ? new Float64Array(problem.S * problem.A) : null;
  const entropy = config.entropy;
  const oracle = config.oracle;
  // Agents that share P share the θ-only work of the exact gradient (one LU of I − γP_π per θ).
  const factor = oracle.kind === 'exact' ? (runFactor === undefined ? createRunFactor(problem) : runFactor) : null;
  return problem.rewards.map((_, i) => {
    const mdp = agentMDP(problem, i);
    if (oracle.kind === 'exact') {
      const gradient = createExactGradientOracle(mdp, entropy, factor);
      if (features && logits && logitGradient) {
        return (theta, _rng, out) => {
          gradient(featureLogits(features, checkVector('theta', theta, features.dimension), problem.S, logits), logitGradient);
          pullBack(features, logitGradient, problem.S, out);
          return 0;
        };
      }
      return (theta, _rng, out) => {
        gradient(theta, out);
        return 0;
      };
    }
    const estimator = createGradientEstimator(mdp, { horizon: oracle.horizon, batch: oracle.batch, estimator: oracle.estimator, entropy, variance: false, ...(config.limits ? { limits: config.limits } : {}), ...(features ? { policy } : {}) });
    return (theta, rng, out) => estimator.estimate(theta, rng, out).stats.envSteps;
  });
}
