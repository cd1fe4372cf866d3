import { type AgentRound, type Algorithm, defineAlgorithm, DivergenceError, findAlgorithm, type RoundContext, type Schema, validateObject } from '../algorithms/plugin';

/** Ditto's state: the server's θ̄ (Fast-FedPG's state) and each agent's personal v_i. */
export interface DittoState {
  thetaBar: Float64Array;
  personal: Float64Array[];
}

/** The fields of ditto's `personalization` option (λ and the personal step s). */
export const PERSONALIZATION_SCHEMA: Schema = {
  lambda: { type: 'number', min: 0, default: 1, symbol: 'λ', doc: 'proximal weight λ ≥ 0 of (λ/2)‖v_i − θ̄‖²; 0 is local PG' },
  stepSize: { type: 'number', min: 0, minExclusive: true, optional: true, symbol: 's', doc: 'personal step s > 0 (default: the run\'s η_t); stable on the penalty part iff s·λ < 2' },
};

/** Resolved `personalization`: λ and the personal step (null: use η_t). */
export function personalizationOf(options: Readonly<Record<string, unknown>>): { lambda: number; stepSize: number | null } {
  const p = validateObject('personalization', options.personalization ?? {}, PERSONALIZATION_SCHEMA, "ditto's personalization");
  return { lambda: p.lambda as number, stepSize: (p.stepSize as number | undefined) ?? null };
}

/**
 * One personal step of Ditto (Li, Hu, Beirami & Smith, ICML 2021, Algorithm 1, ascent form) in place:
 *   v ← v + s (ĝ_i(v) − λ (v − θ̄)),
 * gradient ascent on h_i(v) = J_i(v) − (λ/2)‖v − θ̄‖². With λ = 0 the bracket is ĝ_i(v) exactly (x − 0·y
 * = x), so the step is local PG's θ ← θ + η ĝ_i(θ) to the bit when s = η. Returns Σ_k v_k, non-finite as soon as v is.
 */
export function dittoPersonalStep(v: Float64Array, gradient: Float64Array, thetaBar: Float64Array, stepSize: number, lambda: number): number {
  let check = 0;
  for (let k = 0; k < v.length; k++) {
    v[k] += stepSize * (gradient[k] - lambda * (v[k] - thetaBar[k]));
    check += v[k];
  }
  return check;
}

/** H personal steps of agent i from its v_i against the round's θ̄ᵗ, on the streams `agent:i/personal:ℓ`. */
function personalPhase(ctx: RoundContext, i: number, start: Float64Array, thetaBar: Float64Array, lambda: number, stepSize: number): Float64Array {
  const v = Float64Array.from(start);
  const g = new Float64Array(ctx.size);
  for (let l = 0; l < ctx.localSteps; l++) {
    ctx.gradient(i, v, `personal:${l}`, g);
    const check = dittoPersonalStep(v, g, thetaBar, stepSize, lambda);
    if (!Number.isFinite(check)) {
      throw new DivergenceError(`diverged: personal v of agent ${i} is not finite after personal step ${l + 1} of round ${ctx.round + 1} (personalization.stepSize s = ${stepSize}, λ = ${lambda}: s·λ must be < 2, see docs/personalization.md)`);
    }
  }
  return v;
}

/** The built-in Fast-FedPG, whose round gives Ditto's global model. */
function fastFedPG(): Algorithm<{ thetaBar: Float64Array }> {
  return findAlgorithm('fast-fedpg') as Algorithm<{ thetaBar: Float64Array }>;
}

/**
 * Ditto (Li, Hu, Beirami & Smith, "Ditto: Fair and Robust Federated Learning Through Personalization",
 * ICML 2021) with Fast-FedPG as the global solver. Round t:
 *   1. θ̄ᵗ⁺¹ = Fast-FedPG's round from θ̄ᵗ (the built-in's round itself: anchors, corrected local steps,
 *      server step; its streams `anchor`, `step:ℓ`), so θ̄ is Fast-FedPG's iterate to the bit;
 *   2. every agent takes H personal steps v_i ← v_i + s (ĝ_i(v_i) − λ (v_i − θ̄ᵗ)) on its own streams
 *      `personal:ℓ` (fresh samples, as the reference code draws new batches for the personal model),
 *      against the θ̄ᵗ it received this round. v_i⁰ = θ̄⁰.
 * The personal models never leave the agents: communication is Fast-FedPG's (4N vectors, 2 syncs); the
 * environment steps are Fast-FedPG's plus N·H·M·K. Metrics: J(θ̄) and the global gap at θ̄; per agent
 * J_i(v_i) and J_i* − J_i(v_i) (agentTheta), and `run.personal` gives the v_i. docs/personalization.md
 * derives the stability condition of the personal step (s·λ < 2 on the penalty part, s(L + λ) < 2 with
 * L-smooth J_i).
 */
export const ditto = defineAlgorithm<DittoState>({
  name: 'ditto',
  description: 'Ditto (Li et al., ICML 2021): Fast-FedPG global model, personal models with a proximal pull λ toward it',
  options: {
    personalization: { type: 'object', default: { lambda: 1 }, doc: '{ lambda: λ ≥ 0 (default 1), stepSize: s > 0 (default η_t) } of the personal objective J_i(v) − (λ/2)‖v − θ̄‖²' },
  },
  validate(setup) {
    personalizationOf(setup.options);
  },
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), personal: Array.from({ length: setup.agents }, () => Float64Array.from(setup.initialTheta)) }),
  round(ctx, state) {
    const { lambda, stepSize } = personalizationOf(ctx.options);
    const s = stepSize ?? ctx.stepSize;
    const global = fastFedPG().round(ctx, { thetaBar: state.thetaBar });
    const personal = state.personal.map((v, i) => personalPhase(ctx, i, v, state.thetaBar, lambda, s));
    return { state: { thetaBar: global.state.thetaBar, personal }, agents: global.agents as AgentRound[], anchorMean: global.anchorMean ?? null };
  },
  agentTheta: (state) => state.personal,
});
