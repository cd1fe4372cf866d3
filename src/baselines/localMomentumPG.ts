import { aggregate, defineAlgorithm, localSteps } from '../algorithms/plugin';

/** Local momentum PG's state: θ̄ and, per agent, its momentum d_i and the point θ_i^prev where d_i was formed (null before round 1). */
export interface LocalMomentumPGState {
  thetaBar: Float64Array;
  momentum: Float64Array[] | null;
  previous: Float64Array[] | null;
}

/**
 * Local momentum PG: FedAvg-PG whose local steps are driven by a STORM-type momentum (Cutkosky & Orabona
 * 2019) with importance weights (SVRPG, Xu et al. 2020) that each agent keeps to itself. It is NOT
 * FedSVRPG-M (Wang et al., ICML 2024; `fedsvrpg-m`, fedSVRPGM.ts): nothing but θ is averaged, there is no
 * server momentum, and with exact gradients it is FedAvg-PG bit for bit at every β, so it cannot change
 * FedAvg-PG's heterogeneity floor; it shows what a per-agent momentum does to the sampling noise only.
 * Agent i, round t, θ_{i,0} = θ̄ᵗ, local step k = 0..H−1 (stream `agent:i/step:k`):
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
export const localMomentumPG = defineAlgorithm<LocalMomentumPGState>({
  name: 'local-momentum-pg',
  description: 'FedAvg-PG with a per-agent STORM-type momentum (importance-weighted) kept by each agent; only θ is averaged',
  options: {
    beta: { type: 'number', min: 0, minExclusive: true, max: 1, default: 1, symbol: 'β', doc: 'momentum weight β ∈ (0,1]: d = ĝ + (1−β)(d_prev − w ĝ_prev); 1 is FedAvg-PG' },
  },
  // Its importance weights are per-decision GPOMDP weights: a REINFORCE run is refused when configured.
  estimators: ['gpomdp'],
  stepsPerRound: (config) => config.localSteps,
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), momentum: null, previous: null }),
  round(ctx, state) {
    const N = ctx.agents;
    const beta = ctx.options.beta as number;
    const momentum: Float64Array[] = [];
    const previous: Float64Array[] = [];
    const gPrev = new Float64Array(ctx.size);
    const agents = Array.from({ length: N }, (_, i) => {
      let d = state.momentum ? Float64Array.from(state.momentum[i]) : null;
      let prev = state.previous ? state.previous[i] : null;
      const r = localSteps(ctx, i, state.thetaBar, (step) => {
        if (beta === 1 || d === null || prev === null) d = Float64Array.from(step.gradient());
        else {
          const g = step.weightedGradients(prev, gPrev);
          for (let j = 0; j < d.length; j++) d[j] = g[j] + (1 - beta) * (d[j] - gPrev[j]);
        }
        // The trace keeps d_{i,k} (the step's direction) as this baseline's gradient.
        step.record(d);
        prev = Float64Array.from(step.theta);
        return d;
      });
      momentum.push(d as unknown as Float64Array);
      previous.push(prev as unknown as Float64Array);
      return r;
    });
    ctx.count({ messages: 2 * N, syncs: 1 });
    const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
    return { state: { thetaBar, momentum, previous }, agents };
  },
});
