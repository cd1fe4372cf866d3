import { aggregate, type AlgorithmState, type RoundContext, type RoundOutcome, localUpdate } from './round';

/**
 * One round of FedAvg-PG: the local steps of Fast-FedPG without the correction,
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η ĝ_i(θ_{i,ℓ}),  θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ).
 * With H > 1 and heterogeneous rewards its fixed points are biased (each agent drifts toward its own
 * optimum). Communication: θ̄ down, θ_{i,H} up: 2N vectors, 1 synchronisation.
 */
export function fedAvgPGRound(ctx: RoundContext, state: AlgorithmState): RoundOutcome {
  const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar, null));
  const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
  const envSteps = agents.reduce((acc, a) => acc + a.envSteps, 0);
  return { state: { ...state, thetaBar }, agents, anchorMean: null, envSteps, messages: 2 * ctx.agents, syncs: 1 };
}

/**
 * One round of minibatch PG, which communicates every step: every agent estimates ĝ_i(θ̄ᵗ) once, with
 * H·M trajectories (its oracle is built with batch H·M), and the server takes one step
 *   θ̄ᵗ⁺¹ = θ̄ᵗ + α_g η (1/N) Σ_i ĝ_i(θ̄ᵗ).
 * Counting (Woodworth et al. 2020's "minibatch SGD" baseline of local SGD): per round it uses the same
 * samples as FedAvg-PG with H local steps (N·H·M·K env steps; Fast-FedPG uses N·(H+1)·M·K) and the same
 * communication (2N vectors, 1 synchronisation), but takes one step instead of H. Compare at equal rounds
 * with the `round` column and at equal samples with `envSteps`. It is FedAvg-PG's round with H = 1, so with
 * H = 1 the two are identical to the bit.
 */
export function minibatchPGRound(ctx: RoundContext, state: AlgorithmState): RoundOutcome {
  return fedAvgPGRound({ ...ctx, localSteps: 1 }, state);
}
