import { aggregate, defineAlgorithm, localSteps, meanOf, type RoundContext } from '../algorithms/plugin';

/** FedSVRPG-M's server state: θ̄_r, θ̄_{r−1} and the server momentum ū_r (null before round 1). */
export interface FedSVRPGMState {
  thetaBar: Float64Array;
  /** θ̄_{r−1}, the point the momentum's correction is evaluated at (θ̄⁰ in round 1). */
  thetaPrevious: Float64Array;
  /** ū_r (null before round 1: round 1 draws ū_0, the large-batch gradient at θ̄⁰). */
  momentum: Float64Array | null;
}

/**
 * ū_0 = (1/N) Σ_i ĝ_i(θ̄⁰) with B trajectories per agent (stream `agent:i/init:momentum`): the paper's
 * large-batch initialisation. B is the option `initialBatch`, default H·M (one round of FedAvg-PG's samples).
 */
function initialMomentum(ctx: RoundContext, theta: Float64Array): Float64Array {
  const M = ctx.oracleConfig.kind === 'sampled' ? ctx.oracleConfig.batch : 1;
  const B = (ctx.options.initialBatch as number | undefined) ?? ctx.localSteps * M;
  const grads = Array.from({ length: ctx.agents }, (_, i) => ctx.gradient(i, theta, 'init:momentum', new Float64Array(ctx.size), B));
  ctx.count({ messages: ctx.agents });
  return meanOf(grads);
}

/**
 * The local direction of FedSVRPG-M (Wang, He, Zhang, Miao & Anderson 2024, Algorithm 1's local update) into
 * `out`:
 *   u_{i,k} = β g + (1−β)(ū + g − g′),   g = ĝ_i(τ|θ_{i,k}),  g′ = w(τ|θ̄_{r−1}, θ_{i,k}) ĝ_i(τ|θ̄_{r−1}),
 * on one batch τ sampled at θ_{i,k}. Written as β g + (1−β)(…) like the paper; it equals g + (1−β)(ū − g′).
 */
export function momentumDirection(g: ArrayLike<number>, weightedPrevious: ArrayLike<number>, serverMomentum: ArrayLike<number>, beta: number, out: Float64Array): Float64Array {
  for (let k = 0; k < out.length; k++) out[k] = beta * g[k] + (1 - beta) * (serverMomentum[k] + g[k] - weightedPrevious[k]);
  return out;
}

/**
 * FedSVRPG-M (Wang, He, Zhang, Miao & Anderson, "Momentum for the Win: Collaborative Federated
 * Reinforcement Learning across Heterogeneous Environments", ICML 2024, Algorithm 1), the policy-gradient
 * form of the momentum-with-variance-reduction FedAvg of Cheng, Huang, Wu & Yuan (ICLR 2024). Round r:
 *   1. the server sends θ̄_r and its momentum ū_r (each agent keeps θ̄_{r−1} from the last round);
 *   2. agent i: θ_{i,0} = θ̄_r; for k = 0..H−1, on a batch τ sampled at θ_{i,k} (stream `agent:i/step:k`),
 *        u_{i,k} = β ĝ_i(τ|θ_{i,k}) + (1−β) (ū_r + ĝ_i(τ|θ_{i,k}) − w(τ|θ̄_{r−1}, θ_{i,k}) ĝ_i(τ|θ̄_{r−1})),
 *        θ_{i,k+1} = θ_{i,k} + η_t u_{i,k};
 *   3. the server: ū_{r+1} = (1/(η_t N H)) Σ_i (θ_{i,H} − θ̄_r)   (the mean local direction),
 *        θ̄_{r+1} = θ̄_r + λ ū_{r+1},   λ = α_g η_t H   (α_g = 1: plain averaging, as the reference code's
 *        global step ηH).
 * Initialisation: ū_0 = (1/N) Σ_i ĝ_i(θ̄⁰) on a large batch (`initialBatch` trajectories per agent), θ̄_{−1} = θ̄⁰.
 * The momentum ū enters every local step, so every agent's recursion is seeded with the server's average
 * of last round's directions; the importance weight w makes w ĝ(θ̄_{r−1}) unbiased for ∇J_{i,K}(θ̄_{r−1}).
 *
 * Our choices and deviations: w is per-decision (estimators/importanceWeighted.ts: same expectation as the
 * paper's whole-trajectory weight, never more variance), unclipped; M trajectories per step (the paper's
 * analysis uses one); β and η constant over the run unless a schedule is given (the paper's theorem picks β
 * and η from the number of rounds R; see docs/momentum.md); the default B = H·M of the large batch
 * is ours. β = 1 is FedAvg-PG to the bit (the plain estimator on the same streams, no ū_0 drawn).
 * Communication per round: θ̄_r and ū_r down, θ_{i,H} − θ̄_r up: 3N vectors, 1 synchronisation (plus N up
 * for ū_0 in round 1). Environment steps: N·H·M·K per round (the same trajectories give both estimates),
 * plus N·B·K in round 1.
 *
 * With exact gradients (w = 1) the local direction is ∇J_i(θ_{i,k}) + (1−β)(ū_r − ∇J_i(θ̄_{r−1})): a
 * fraction 1−β of SCAFFOLD's drift correction. At a fixed point ū = 0 and the first local step is
 * β ∇J_i(θ̄): the drift and the signal both scale with β, so to first order in η the fixed point is
 * FedAvg-PG's, ∇J(θ̄) ≈ −(η(H−1)/2)(1/N) Σ_i ∇²J_i ∇J_i, whatever β (docs/momentum.md derives it
 * and the momentum-floor experiment measures it).
 */
export const fedSVRPGM = defineAlgorithm<FedSVRPGMState>({
  name: 'fedsvrpg-m',
  description: 'FedSVRPG-M (Wang et al., ICML 2024): server momentum ū in every local step, importance-weighted correction at θ̄_{r−1}',
  options: {
    beta: { type: 'number', min: 0, minExclusive: true, max: 1, default: 0.5, symbol: 'β', doc: 'momentum weight β ∈ (0,1]: u = β ĝ + (1−β)(ū + ĝ − w ĝ(θ̄_{r−1})); 1 is FedAvg-PG (default 0.5, the reference code\'s)' },
    initialBatch: { type: 'integer', min: 1, optional: true, symbol: 'B', doc: 'trajectories per agent of the large-batch ū_0 at θ̄⁰ (default H·M; ignored by the exact oracle)' },
  },
  // Its importance weights are per-decision GPOMDP weights: a REINFORCE run is refused when configured.
  estimators: ['gpomdp'],
  stepsPerRound: (config) => config.localSteps,
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), thetaPrevious: Float64Array.from(setup.initialTheta), momentum: null }),
  round(ctx, state) {
    const { agents: N, size, localSteps: H, stepSize: eta } = ctx;
    const beta = ctx.options.beta as number;
    const u = beta === 1 ? new Float64Array(size) : (state.momentum ?? initialMomentum(ctx, state.thetaBar));
    const previous = state.thetaPrevious;
    const agents = Array.from({ length: N }, (_, i) => {
      const gPrevious = new Float64Array(size);
      const direction = new Float64Array(size);
      return localSteps(ctx, i, state.thetaBar, (step) => (beta === 1 ? step.gradient() : momentumDirection(step.weightedGradients(previous, gPrevious), gPrevious, u, beta, direction)));
    });
    ctx.count({ messages: 3 * N, syncs: 1 });
    const moved = meanOf(agents.map((a) => a.thetaLocal));
    const momentum = moved.map((x, k) => (x - state.thetaBar[k]) / (eta * H));
    const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
    return { state: { thetaBar, thetaPrevious: Float64Array.from(state.thetaBar), momentum }, agents, anchorMean: u };
  },
});
