import { aggregate, type AgentRound, defineAlgorithm, DivergenceError } from '../algorithms/plugin';

/** FedSVRPG-M's state: θ̄ and, per agent, its momentum d_i and the point θ_i^prev where d_i was formed (null before round 1). */
export interface FedSVRPGMState {
  thetaBar: Float64Array;
  momentum: Float64Array[] | null;
  previous: Float64Array[] | null;
}

/**
 * Momentum federated PG in the style of FedSVRPG-M (Wang, He, Zhang, Miao & Anderson, "Momentum for the
 * Win: Collaborative Federated Reinforcement Learning across Heterogeneous Environments", ICML 2024): local
 * steps driven by a STORM-type momentum (Cutkosky & Orabona 2019) with importance weights (SVRPG, Xu et al.
 * 2020). Agent i, round t, θ_{i,0} = θ̄ᵗ, local step k = 0..H−1 (stream `agent:i/step:k`):
 *   d_{i,k} = ĝ_i(θ_{i,k}) + (1−β)(d_{i,k−1} − w_{i,k} ĝ_i(θ_{i,k−1})),
 *   θ_{i,k+1} = θ_{i,k} + η_t d_{i,k},       θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ),
 * where ĝ_i(θ_{i,k}) and w_{i,k} ĝ_i(θ_{i,k−1}) are computed on the same M trajectories sampled at θ_{i,k},
 * w = Π_t π_{θ_{i,k−1}}(a_t|s_t)/π_{θ_{i,k}}(a_t|s_t) per trajectory (estimators/importanceWeighted.ts), so
 * a step costs M·K env steps like FedAvg-PG's. The first step of round 1 has no previous point: d = ĝ.
 *
 * Our choices: each agent keeps its momentum across rounds (for round t+1's first step, (d_{i,−1},
 * θ_{i,−1}) are its last (d_{i,H−1}, θ_{i,H−1})); nothing beyond θ is communicated (2N vectors, 1 sync, as
 * FedAvg-PG). β = 1 is FedAvg-PG to the bit (the plain estimator on the same streams; the default, since
 * β is problem-dependent: the theory's β shrinks with the horizon of the run). With exact gradients
 * (w = 1) the error e_k = d_k − ∇J_i(θ_k) obeys e_k = (1−β) e_{k−1}, so d_k = ∇J_i(θ_k) exactly for every β
 * once d_0 = ∇J_i(θ_0): the algorithm is then FedAvg-PG, bit for bit.
 */
export const fedSVRPGM = defineAlgorithm<FedSVRPGMState>({
  name: 'fedsvrpg-m',
  description: 'Momentum federated PG (STORM-type, importance-weighted) in the style of FedSVRPG-M (Wang et al., ICML 2024)',
  options: {
    beta: { type: 'number', min: 0, minExclusive: true, max: 1, default: 1, symbol: 'β', doc: 'momentum weight β ∈ (0,1]: d = ĝ + (1−β)(d_prev − w ĝ_prev); 1 is FedAvg-PG' },
  },
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), momentum: null, previous: null }),
  round(ctx, state) {
    const { agents: N, size, localSteps: H, stepSize: eta } = ctx;
    const beta = ctx.options.beta as number;
    const momentum: Float64Array[] = [];
    const previous: Float64Array[] = [];
    const agents: AgentRound[] = [];
    for (let i = 0; i < N; i++) {
      const start = state.thetaBar;
      const theta = Float64Array.from(start);
      let d = state.momentum ? Float64Array.from(state.momentum[i]) : null;
      let prev = state.previous ? state.previous[i] : null;
      const g = new Float64Array(size);
      const gPrev = new Float64Array(size);
      const drift = new Float64Array(H);
      const gradients: Float64Array[] | null = ctx.detail === 'full' ? [] : null;
      for (let k = 0; k < H; k++) {
        const label = `step:${k}`;
        if (beta === 1 || d === null || prev === null) {
          ctx.gradient(i, theta, label, g);
          d = Float64Array.from(g);
        } else {
          ctx.weightedGradients(i, theta, prev, label, g, gPrev);
          for (let j = 0; j < size; j++) d[j] = g[j] + (1 - beta) * (d[j] - gPrev[j]);
        }
        if (gradients) gradients.push(Float64Array.from(d));
        prev = Float64Array.from(theta);
        let d2 = 0;
        for (let j = 0; j < size; j++) {
          theta[j] += eta * d[j];
          d2 += (theta[j] - start[j]) * (theta[j] - start[j]);
        }
        drift[k] = Math.sqrt(d2);
        if (!Number.isFinite(d2)) throw new DivergenceError(`diverged: θ of agent ${i} is not finite after local step ${k + 1} of round ${ctx.round + 1} (stepSize η = ${eta}); lower the step size`);
      }
      momentum.push(d as Float64Array);
      previous.push(prev as Float64Array);
      agents.push({ thetaLocal: theta, drift, gradients, correction: null, anchor: null, envSteps: NaN });
    }
    ctx.count({ messages: 2 * N, syncs: 1 });
    const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
    return { state: { thetaBar, momentum, previous }, agents };
  },
});
