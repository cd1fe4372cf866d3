import { aggregate, meanOf } from '../aggregate';
import { defineAlgorithm } from '../algorithm';
import { localUpdate } from '../localUpdate';

/** Fast-FedPG's state: the server parameters only (anchors are recomputed every round). */
export interface ServerState {
  thetaBar: Float64Array;
}

/**
 * Fast-FedPG (Zhu, Heath & Mitra 2024, Algorithm 1), one round t, ascent form:
 *   1–2. c_i = ĝ_i(θ̄ᵗ) on fresh samples (stream `agent:i/anchor`), c̄ = (1/N) Σ_i c_i;
 *   3.   θ_{i,ℓ+1} = θ_{i,ℓ} + η_t (ĝ_i(θ_{i,ℓ}) − c_i + c̄), θ_{i,0} = θ̄ᵗ, ℓ < H;
 *   4.   θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ).
 * With `reuseAnchor` the gradient at ℓ = 0 is c_i itself, so the first step is exactly η c̄.
 * Communication: θ̄ down, c_i up, c̄ down, θ_{i,H} up: 4N vectors, 2 synchronisations.
 */
export const fastFedPG = defineAlgorithm<ServerState>({
  name: 'fast-fedpg',
  description: 'Fast-FedPG (Zhu, Heath & Mitra 2024): local steps corrected by anchor gradients at θ̄',
  init: (setup) => ({ thetaBar: Float64Array.from(setup.initialTheta) }),
  round(ctx, state) {
    const { agents: N, size } = ctx;
    const anchors = Array.from({ length: N }, (_, i) => ctx.gradient(i, state.thetaBar, 'anchor', new Float64Array(size)));
    const anchorMean = meanOf(anchors);
    const agents = anchors.map((c, i) => {
      const correction = anchorMean.map((cm, k) => cm - c[k]);
      const r = localUpdate(ctx, i, state.thetaBar, { correction, firstGradient: ctx.reuseAnchor ? c : null });
      r.anchor = c;
      return r;
    });
    ctx.count({ messages: 4 * N, syncs: 2 });
    const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
    return { state: { thetaBar }, agents, anchorMean };
  },
});
