import { aggregate } from '../aggregate';
import { defineAlgorithm } from '../algorithm';
import { localUpdate } from '../localUpdate';
import type { ServerState } from './fastFedPG';

/**
 * Minibatch PG, which communicates every step, one round t: every agent estimates ĝ_i(θ̄ᵗ) once with
 * H·M trajectories (stream `agent:i/step:0`), and the server takes one step
 *   θ̄ᵗ⁺¹ = θ̄ᵗ + α_g η_t (1/N) Σ_i ĝ_i(θ̄ᵗ).
 * Counting (Woodworth et al. 2020's "minibatch SGD" baseline of local SGD): per round it uses the same
 * samples as FedAvg-PG with H local steps (N·H·M·K env steps; Fast-FedPG uses N·(H+1)·M·K) and the same
 * communication (2N vectors, 1 synchronisation), but takes one step instead of H. The batch rule H·M is
 * this algorithm's own `batchPerStep` (the config's size check and the context's oracles read it; nothing
 * else knows it). With H = 1 it is FedAvg-PG to the bit.
 */
export const minibatchPG = defineAlgorithm({
  name: 'minibatch-pg',
  description: 'Minibatch PG: one server step per round from N gradients of H·M trajectories each',
  batchPerStep: (config) => (config.oracle.kind === 'sampled' ? config.oracle.batch * config.localSteps : 0),
  stepsPerRound: () => 1,
  init: (setup): ServerState => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar, { steps: 1 }));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep) }, agents };
  },
});
