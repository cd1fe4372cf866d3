import { checkPenaltyStep, clusteredRound, defineAlgorithm, FAST_FEDPG_OPTIONS, fastFedPGSteps, localSteps, type RoundContext, type Schema, validateObject } from '../algorithms/plugin';

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
 * Ditto's personal direction (Li, Hu, Beirami & Smith, ICML 2021, Algorithm 1, ascent form) into `out`:
 *   ĝ_i(v) − λ (v − θ̄),
 * the gradient of h_i(v) = J_i(v) − (λ/2)‖v − θ̄‖²; the personal step is v ← v + s·(this). With λ = 0 it is
 * ĝ_i(v) exactly (x − 0·y = x), so the step is local PG's θ ← θ + η ĝ_i(θ) to the bit when s = η.
 */
export function dittoDirection(v: Float64Array, gradient: Float64Array, thetaBar: Float64Array, lambda: number, out: Float64Array): Float64Array {
  for (let k = 0; k < v.length; k++) out[k] = gradient[k] - lambda * (v[k] - thetaBar[k]);
  return out;
}

/** H personal steps of agent i from its v_i against the round's θ̄ᵗ (the local loop, streams `agent:i/personal:ℓ`). */
function personalPhase(ctx: RoundContext, i: number, start: Float64Array, thetaBar: Float64Array, lambda: number, stepSize: number): Float64Array {
  const direction = new Float64Array(ctx.size);
  return localSteps(ctx, i, start, (step) => dittoDirection(step.theta, step.gradient(), thetaBar, lambda, direction), {
    stepSize,
    label: 'personal',
    divergence: { parameter: 'personal v', stepName: 'personal step', settings: `personalization.stepSize s = ${stepSize}, λ = ${lambda}`, advice: 's·λ must be < 2, see docs/personalization.md' },
  }).thetaLocal;
}

/**
 * Ditto (Li, Hu, Beirami & Smith, "Ditto: Fair and Robust Federated Learning Through Personalization",
 * ICML 2021) with Fast-FedPG as the global solver. Round t:
 *   1. θ̄ᵗ⁺¹ = Fast-FedPG's round from θ̄ᵗ (the clustered round with one cluster, as the built-in runs it:
 *      anchors, corrected local steps, server step; its streams `anchor`, `step:ℓ`), so θ̄ is Fast-FedPG's
 *      iterate to the bit;
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
    ...FAST_FEDPG_OPTIONS,
    personalization: { type: 'object', default: { lambda: 1 }, doc: '{ lambda: λ ≥ 0 (default 1), stepSize: s > 0 (default η_t) } of the personal objective J_i(v) − (λ/2)‖v − θ̄‖²' },
  },
  validate(setup) {
    const { lambda, stepSize } = personalizationOf(setup.options);
    checkPenaltyStep(setup, stepSize ?? undefined, lambda, { step: 'personalization.stepSize', weight: 'personalization.lambda', symbols: 's·λ' });
  },
  // Fast-FedPG's round, then H personal steps.
  stepsPerRound: (config) => fastFedPGSteps(config) + config.localSteps,
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta), personal: Array.from({ length: setup.agents }, () => Float64Array.from(setup.initialTheta)) }),
  round(ctx, state) {
    const { lambda, stepSize } = personalizationOf(ctx.options);
    const s = stepSize ?? ctx.stepSize;
    const global = clusteredRound(ctx, [state.thetaBar], { assignment: new Array<number>(ctx.agents).fill(0) }, ctx.options.reuseAnchor === true);
    ctx.count({ messages: 4 * ctx.agents, syncs: 2 });
    const personal = state.personal.map((v, i) => personalPhase(ctx, i, v, state.thetaBar, lambda, s));
    return { state: { thetaBar: global.models[0], personal }, agents: global.agents, anchorMean: global.anchorMeans[0] };
  },
  agentTheta: (state) => state.personal,
});
