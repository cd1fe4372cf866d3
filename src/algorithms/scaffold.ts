import { aggregate, type AlgorithmState, type RoundContext, type RoundOutcome, localUpdate, meanOf } from './round';

/**
 * One round of SCAFFOLD with option II control variates (Karimireddy et al. 2020, Algorithm 1), ascent
 * form, full participation:
 *   y_{i,ℓ+1} = y_{i,ℓ} + η (ĝ_i(y_{i,ℓ}) − c_i + c),  y_{i,0} = θ̄ᵗ,
 *   c_i⁺ = c_i − c + (y_{i,H} − θ̄ᵗ)/(Hη)   (= the mean of agent i's local gradients this round),
 *   θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (y_{i,H} − θ̄ᵗ),  c ← c + (1/N) Σ_i (c_i⁺ − c_i).
 * The control variates start at 0, so round 1 is FedAvg-PG. Unlike Fast-FedPG, the correction is stale:
 * it was measured along last round's local paths, not at θ̄ᵗ. Communication: (θ̄, c) down and
 * (Δy_i, Δc_i) up: 4N vectors, 1 synchronisation.
 */
export function scaffoldRound(ctx: RoundContext, state: AlgorithmState): RoundOutcome {
  const { agents: N, size, localSteps: H, stepSize: eta } = ctx;
  const controls = state.controls ?? Array.from({ length: N }, () => new Float64Array(size));
  const c = state.serverControl ?? new Float64Array(size);
  const agents = controls.map((ci, i) => localUpdate(ctx, i, state.thetaBar, c.map((ck, k) => ck - ci[k])));
  const newControls = agents.map((a, i) => controls[i].map((cik, k) => cik - c[k] + (a.thetaLocal[k] - state.thetaBar[k]) / (H * eta)));
  const deltas = newControls.map((ci, i) => ci.map((x, k) => x - controls[i][k]));
  const meanDelta = meanOf(deltas);
  const serverControl = c.map((ck, k) => ck + meanDelta[k]);
  const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
  const envSteps = agents.reduce((acc, a) => acc + a.envSteps, 0);
  return { state: { ...state, thetaBar, controls: newControls, serverControl }, agents, anchorMean: serverControl, envSteps, messages: 4 * N, syncs: 1 };
}
