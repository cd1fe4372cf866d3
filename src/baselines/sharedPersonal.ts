import { type AgentRound, aggregate, checkPenaltyStep, defineAlgorithm, localSteps, type RoundContext, type Schema } from '../algorithms/plugin';

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
 * The personal offset's part of a local step of agent i on f_i(w, u) = J_i(w + u) − (μ/2)‖u‖², in place,
 * g = ĝ_i(w + u) being the gradient of J_i at θ_i = w + u (the same in w and in u):
 *   u ← u + s (g − μ u);
 * the shared part w ← w + η g is the local loop's step with the direction g.
 */
export function personalOffsetStep(u: Float64Array, gradient: Float64Array, s: number, mu: number): Float64Array {
  for (let k = 0; k < u.length; k++) u[k] += s * (gradient[k] - mu * u[k]);
  return u;
}

/** θ_i = w + u_i for every agent. */
function personalPolicies(state: SharedPersonalState): Float64Array[] {
  return state.offsets.map((u) => Float64Array.from(u, (x, k) => state.thetaBar[k] + x));
}

/**
 * H local steps of agent i from (w̄ᵗ, u_iᵗ) on the streams `step:ℓ` (FedAvg-PG's): the local loop moves w
 * along g = ĝ_i(w + u) and the direction moves u; returns its AgentRound (drift of w) and new u_i.
 */
function localPhase(ctx: RoundContext, i: number, wBar: Float64Array, offset: Float64Array, s: number, mu: number): { agent: AgentRound; offset: Float64Array } {
  const u = Float64Array.from(offset);
  const theta = new Float64Array(ctx.size);
  const agent = localSteps(
    ctx,
    i,
    wBar,
    (step) => {
      for (let k = 0; k < theta.length; k++) theta[k] = step.theta[k] + u[k];
      const g = step.gradient(theta);
      step.checkFinite(personalOffsetStep(u, g, s, mu), 'u');
      return g;
    },
    { divergence: { parameter: 'w', settings: `stepSize η = ${ctx.stepSize}, personalStepSize s = ${s}, μ = ${mu}`, advice: 's·μ must be < 2, see docs/personalization.md' } },
  );
  return { agent, offset: u };
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
  validate: (setup) => checkPenaltyStep(setup, setup.options.personalStepSize as number | undefined, setup.options.mu as number, { step: 'personalStepSize', weight: 'mu', symbols: 's·μ' }),
  stepsPerRound: (config) => config.localSteps,
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
