import { aggregate } from '../aggregate';
import { defineAlgorithm } from '../algorithm';
import { localUpdate } from '../localUpdate';
import type { ServerState } from './fastFedPG';

/**
 * FedAvg-PG, one round t: the local steps of Fast-FedPG without the correction,
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η_t ĝ_i(θ_{i,ℓ}),  θ_{i,0} = θ̄ᵗ,  θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ).
 * With H > 1 and heterogeneous rewards its fixed points are biased (each agent drifts toward its own
 * optimum). Communication: θ̄ down, θ_{i,H} up: 2N vectors, 1 synchronisation.
 */
export const fedAvgPG = defineAlgorithm({
  name: 'fedavg-pg',
  description: 'FedAvg-PG: H uncorrected local policy-gradient steps per agent, then server averaging',
  stepsPerRound: (config) => config.localSteps,
  init: (setup): ServerState => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep) }, agents };
  },
});
