import type { Schema } from '../../core/schema';
import { defineAlgorithm } from '../algorithm';
import { clusteredRound } from '../clusteredRound';

/** Fast-FedPG's state: the server parameters only (anchors are recomputed every round). */
export interface ServerState {
  thetaBar: Float64Array;
}

/** Fast-FedPG's option, shared by the methods that run its round (ifca, cfl, ditto). */
export const FAST_FEDPG_OPTIONS = {
  reuseAnchor: { type: 'boolean', default: false, doc: 'use the anchor sample c_i as the gradient at the first local step (N·M·K fewer environment steps per round)' },
} as const satisfies Schema;

/** Estimates per agent per round of Fast-FedPG's round: the anchor and H local steps (H with reuseAnchor). */
export function fastFedPGSteps(config: { localSteps: number; options: Readonly<Record<string, unknown>> }): number {
  return config.localSteps + (config.options.reuseAnchor ? 0 : 1);
}

/**
 * Fast-FedPG (Zhu, Heath & Mitra 2024, Algorithm 1), one round t, ascent form:
 *   1–2. c_i = ĝ_i(θ̄ᵗ) on fresh samples (stream `agent:i/anchor`), c̄ = (1/N) Σ_i c_i;
 *   3.   θ_{i,ℓ+1} = θ_{i,ℓ} + η_t (ĝ_i(θ_{i,ℓ}) − c_i + c̄), θ_{i,0} = θ̄ᵗ, ℓ < H;
 *   4.   θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ).
 * This is the clustered round (clusteredRound.ts) with one cluster holding every agent.
 * With `reuseAnchor` the gradient at ℓ = 0 is c_i itself, so the first step is exactly η c̄.
 * Communication: θ̄ down, c_i up, c̄ down, θ_{i,H} up: 4N vectors, 2 synchronisations.
 */
export const fastFedPG = defineAlgorithm({
  name: 'fast-fedpg',
  description: 'Fast-FedPG (Zhu, Heath & Mitra 2024): local steps corrected by anchor gradients at θ̄',
  options: FAST_FEDPG_OPTIONS,
  stepsPerRound: fastFedPGSteps,
  init: (setup): ServerState => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const { models, agents, anchorMeans } = clusteredRound(ctx, [state.thetaBar], { assignment: new Array<number>(ctx.agents).fill(0) }, ctx.options.reuseAnchor === true);
    ctx.count({ messages: 4 * ctx.agents, syncs: 2 });
    return { state: { thetaBar: models[0] }, agents, anchorMean: anchorMeans[0] };
  },
});
