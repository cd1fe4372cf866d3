// FedAvg-PG with server momentum (FedAvgM: Hsu, Qi & Brown 2019), the algorithm that notebook
// 07-your-own-algorithm defines in a cell. Sweeps run jobs in worker threads, which load algorithms from
// modules, not from notebook cells: an experiment lists this file under `algorithmModules`, and every worker
// `require`s it and adds the algorithm it exports to its registry (the module registers nothing itself).
// Plain CommonJS, so it loads both in the built package's workers and under tsx.
const { aggregate, defineAlgorithm, localUpdate } = require('fedpg-lab');

/**
 * One round t: FedAvg-PG's local phase, then a heavy-ball step on the server with the averaged update
 *   Δ̄ᵗ = (1/N) Σ_i (θ_{i,H} − θ̄ᵗ),  vᵗ⁺¹ = μ vᵗ + Δ̄ᵗ,  θ̄ᵗ⁺¹ = θ̄ᵗ + α_g vᵗ⁺¹,  v⁰ = 0.
 * μ = 0 is FedAvg-PG. Communication as FedAvg-PG: 2N vectors, 1 synchronisation.
 */
const serverMomentum = defineAlgorithm({
  name: 'fedavg-server-momentum',
  description: 'FedAvg-PG with heavy-ball momentum μ on the server (FedAvgM, Hsu et al. 2019)',
  options: {
    serverMomentum: { type: 'number', min: 0, max: 1, maxExclusive: true, default: 0.5, symbol: 'μ', doc: 'server momentum μ ∈ [0, 1)' },
  },
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), velocity: new Float64Array(setup.size) }),
  round(ctx, state) {
    const agents = Array.from({ length: ctx.agents }, (_, i) => localUpdate(ctx, i, state.thetaBar));
    const mean = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), 1);
    const mu = ctx.options.serverMomentum;
    const velocity = state.velocity.map((v, k) => mu * v + (mean[k] - state.thetaBar[k]));
    const thetaBar = state.thetaBar.map((x, k) => x + ctx.serverStep * velocity[k]);
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    return { state: { thetaBar, velocity }, agents };
  },
});

module.exports = { serverMomentum };
