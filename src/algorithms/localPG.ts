import { type AlgorithmState, type RoundContext, type RoundOutcome, localUpdate, meanOf } from './round';

/**
 * One round of local-only PG (personalised baseline, no communication): each agent takes H steps on
 * its own J_i from its own θ_i, θ_{i} ← θ_i + η ĝ_i(θ_i). θ̄ is reported as the mean of the θ_i (the
 * run's metrics give each agent's own gap J_i* − J_i(θ_i) and the global gap of that mean).
 */
export function localPGRound(ctx: RoundContext, state: AlgorithmState): RoundOutcome {
  const own = state.agentTheta ?? Array.from({ length: ctx.agents }, () => Float64Array.from(state.thetaBar));
  const agents = own.map((theta, i) => localUpdate(ctx, i, theta, null));
  const agentTheta = agents.map((a) => a.thetaLocal);
  const envSteps = agents.reduce((acc, a) => acc + a.envSteps, 0);
  return { state: { ...state, agentTheta, thetaBar: meanOf(agentTheta) }, agents, anchorMean: null, envSteps, messages: 0, syncs: 0 };
}
