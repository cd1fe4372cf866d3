import { meanOf } from '../aggregate';
import { defineAlgorithm } from '../algorithm';
import { localUpdate } from '../localUpdate';

/** Local PG's state: each agent's own θ_i (null before round 1: every θ_i starts at θ̄⁰) and their mean. */
export interface LocalPGState {
  thetaBar: Float64Array;
  agentTheta: Float64Array[] | null;
}

/**
 * Local-only PG (personalised baseline, no communication), one round: each agent takes H steps on its own
 * J_i from its own θ_i, θ_i ← θ_i + η_t ĝ_i(θ_i). θ̄ is reported as the mean of the θ_i; the run's metrics
 * give each agent's own gap J_i* − J_i(θ_i) and the global gap of that mean.
 */
export const localPG = defineAlgorithm({
  name: 'local-pg',
  description: 'Local PG: every agent optimises its own task alone (no communication)',
  stepsPerRound: (config) => config.localSteps,
  init: (setup): LocalPGState => ({ thetaBar: Float64Array.from(setup.initialTheta), agentTheta: null }),
  round(ctx, state) {
    const own = state.agentTheta ?? Array.from({ length: ctx.agents }, () => Float64Array.from(state.thetaBar));
    const agents = own.map((theta, i) => localUpdate(ctx, i, theta));
    const agentTheta = agents.map((a) => a.thetaLocal);
    return { state: { agentTheta, thetaBar: meanOf(agentTheta) }, agents };
  },
  agentTheta: (state) => state.agentTheta,
});
