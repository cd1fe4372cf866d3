import { type AgentRound, aggregate, defineAlgorithm, DivergenceError, type RoundContext, type Schema } from '../algorithms/plugin';

/** The shared-plus-personal state: the server's shared w̄ (`thetaBar`) and each agent's personal offset u_i. */
export interface SharedPersonalState {
  thetaBar: Float64Array;
  offsets: Float64Array[];
}

/** The options of `shared-personal`: the penalty weight μ and the step s of the personal offsets. */
export const SHARED_PERSONAL_OPTIONS: Schema = {
  mu: { type: 'number', min: 0, default: 1, symbol: 'μ', doc: 'penalty weight μ ≥ 0 of (μ/2)‖u_i‖² on the personal offset; 0 leaves u_i free' },
  personalStepSize: { type: 'number', min: 0, optional: true, symbol: 's', doc: 'step s ≥ 0 of the offsets u_i (default: the run\'s η_t; 0 freezes u_i = 0: FedAvg-PG); stable on the penalty part iff s·μ < 2' },
};

/**
 * One local step of agent i on f_i(w, u) = J_i(w + u) − (μ/2)‖u‖² in place, g = ĝ_i(w + u) being the
 * gradient of J_i at θ_i = w + u (the same in w and in u):
 *   w ← w + η g,   u ← u + s (g − μ u).
 * Returns Σ_k (w_k + u_k), non-finite as soon as w or u is.
 */
export function sharedPersonalStep(w: Float64Array, u: Float64Array, gradient: Float64Array, eta: number, s: number, mu: number): number {
  let check = 0;
  for (let k = 0; k < w.length; k++) {
    const g = gradient[k];
    w[k] += eta * g;
    u[k] += s * (g - mu * u[k]);
    check += w[k] + u[k];
  }
  return check;
}

/** θ_i = w + u_i for every agent. */
function personalPolicies(state: SharedPersonalState): Float64Array[] {
  return state.offsets.map((u) => Float64Array.from(u, (x, k) => state.thetaBar[k] + x));
}

/** H local steps of agent i from (w̄ᵗ, u_iᵗ) on the streams `step:ℓ` (FedAvg-PG's), returning its AgentRound and new u_i. */
function localPhase(ctx: RoundContext, i: number, wBar: Float64Array, offset: Float64Array, s: number, mu: number): { agent: AgentRound; offset: Float64Array } {
  const { size, stepSize: eta } = ctx;
  const w = Float64Array.from(wBar);
  const u = Float64Array.from(offset);
  const theta = new Float64Array(size);
  const g = new Float64Array(size);
  const drift = new Float64Array(ctx.localSteps);
  const gradients: Float64Array[] | null = ctx.detail === 'full' ? [] : null;
  const oracle = ctx.oracle(i);
  let envSteps = 0;
  for (let l = 0; l < ctx.localSteps; l++) {
    for (let k = 0; k < size; k++) theta[k] = w[k] + u[k];
    envSteps += oracle(theta, ctx.stream(i, `step:${l}`), g);
    if (gradients) gradients.push(Float64Array.from(g));
    const check = sharedPersonalStep(w, u, g, eta, s, mu);
    if (!Number.isFinite(check)) {
      throw new DivergenceError(`diverged: w + u of agent ${i} is not finite after local step ${l + 1} of round ${ctx.round + 1} (stepSize η = ${eta}, personalStepSize s = ${s}, μ = ${mu}: s·μ must be < 2, see docs/personalization.md)`);
    }
    let d2 = 0;
    for (let k = 0; k < size; k++) d2 += (w[k] - wBar[k]) ** 2;
    drift[l] = Math.sqrt(d2);
  }
  ctx.count({ envSteps });
  return { agent: { thetaLocal: w, drift, gradients, correction: null, anchor: null, envSteps }, offset: u };
}

/**
 * Shared-plus-personal split (the additive decomposition of personalised FL, e.g. Hanzely & Richtárik's
 * mixture model and FedRep-style shared/personal parts, here on the full tabular parameter): agent i acts with
 * θ_i = w + u_i and maximises J_i(w + u_i) − (μ/2)‖u_i‖². Round t, every agent from (w̄ᵗ, u_iᵗ), u_i⁰ = 0:
 *   H local steps  g = ĝ_i(w + u_i) (stream `step:ℓ`),  w ← w + η_t g,  u_i ← u_i + s (g − μ u_i);
 *   the server averages the w's only: w̄ᵗ⁺¹ = w̄ᵗ + (α_g/N) Σ_i (w_{i,H} − w̄ᵗ); u_i never leaves agent i.
 * Communication is FedAvg-PG's (2N vectors, 1 synchronisation). With s = 0 the u_i stay 0 and the run is
 * FedAvg-PG to the bit; with s = 1/μ every step sets u_i = g/μ, so μ → ∞ recovers FedAvg-PG at O(1/μ).
 * Metrics: J(w̄) and the global gap at w̄; per agent J_i(w̄ + u_i) and its own gap (agentTheta), and
 * `run.personal` gives the w̄ + u_i. docs/personalization.md has the limits and the stationary conditions.
 */
export const sharedPersonal = defineAlgorithm<SharedPersonalState>({
  name: 'shared-personal',
  description: 'Shared-plus-personal split θ_i = w + u_i with penalty (μ/2)‖u_i‖²: FedAvg-PG on w, u_i local',
  options: SHARED_PERSONAL_OPTIONS,
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), offsets: Array.from({ length: setup.agents }, () => new Float64Array(setup.size)) }),
  round(ctx, state) {
    const mu = ctx.options.mu as number;
    const s = (ctx.options.personalStepSize as number | undefined) ?? ctx.stepSize;
    const phases = state.offsets.map((u, i) => localPhase(ctx, i, state.thetaBar, u, s, mu));
    ctx.count({ messages: 2 * ctx.agents, syncs: 1 });
    const agents = phases.map((p) => p.agent);
    return { state: { thetaBar: aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep), offsets: phases.map((p) => p.offset) }, agents };
  },
  agentTheta: personalPolicies,
});
