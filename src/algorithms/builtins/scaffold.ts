import { aggregate, meanOf } from '../aggregate';
import { defineAlgorithm } from '../algorithm';
import { localUpdate } from '../localUpdate';

/** SCAFFOLD's state: θ̄, the agents' control variates c_i and the server's c (null before round 1: zeros). */
export interface ScaffoldState {
  thetaBar: Float64Array;
  controls: Float64Array[] | null;
  serverControl: Float64Array | null;
}

/**
 * SCAFFOLD with option II control variates (Karimireddy et al. 2020, Algorithm 1), ascent form, full
 * participation, one round t:
 *   y_{i,ℓ+1} = y_{i,ℓ} + η_t (ĝ_i(y_{i,ℓ}) − c_i + c),  y_{i,0} = θ̄ᵗ,
 *   c_i⁺ = c_i − c + (y_{i,H} − θ̄ᵗ)/(H η_t)   (= the mean of agent i's local gradients this round),
 *   θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (y_{i,H} − θ̄ᵗ),  c ← c + (1/N) Σ_i (c_i⁺ − c_i).
 * The control variates start at 0, so round 1 is FedAvg-PG. Unlike Fast-FedPG, the correction is stale:
 * it was measured along last round's local paths, not at θ̄ᵗ. Communication: (θ̄, c) down and
 * (Δy_i, Δc_i) up: 4N vectors, 1 synchronisation.
 */
export const scaffold = defineAlgorithm({
  name: 'scaffold',
  description: 'SCAFFOLD (Karimireddy et al. 2020), option II control variates',
  stepsPerRound: (config) => config.localSteps,
  init: (setup): ScaffoldState => ({ thetaBar: Float64Array.from(setup.initialTheta), controls: null, serverControl: null }),
  round(ctx, state) {
    const { agents: N, size, localSteps: H, stepSize: eta } = ctx;
    const controls = state.controls ?? Array.from({ length: N }, () => new Float64Array(size));
    const c = state.serverControl ?? new Float64Array(size);
    const agents = controls.map((ci, i) => localUpdate(ctx, i, state.thetaBar, { correction: c.map((ck, k) => ck - ci[k]) }));
    const newControls = agents.map((a, i) => controls[i].map((cik, k) => cik - c[k] + (a.thetaLocal[k] - state.thetaBar[k]) / (H * eta)));
    const deltas = newControls.map((ci, i) => ci.map((x, k) => x - controls[i][k]));
    const meanDelta = meanOf(deltas);
    const serverControl = c.map((ck, k) => ck + meanDelta[k]);
    const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
    ctx.count({ messages: 4 * N, syncs: 1 });
    return { state: { thetaBar, controls: newControls, serverControl }, agents, anchorMean: serverControl };
  },
});
