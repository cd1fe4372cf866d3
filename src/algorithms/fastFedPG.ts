import { aggregate, type AlgorithmState, type RoundContext, type RoundOutcome, localUpdate, meanOf } from './round';

/**
 * One round of Fast-FedPG (Zhu, Heath & Mitra 2024, Algorithm 1; docs/paper.md "Fast-FedPG, one round t",
 * ascent form):
 *   1–2. c_i = ĝ_i(θ̄ᵗ) on fresh samples (stream `agent:i/anchor`), c̄ = (1/N) Σ_i c_i;
 *   3.   θ_{i,ℓ+1} = θ_{i,ℓ} + η (ĝ_i(θ_{i,ℓ}) − c_i + c̄), θ_{i,0} = θ̄ᵗ, ℓ < H;
 *   4.   θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ).
 * With `reuseAnchor` the gradient at ℓ = 0 is c_i itself, so the first step is exactly η c̄.
 * Communication: θ̄ down, c_i up, c̄ down, θ_{i,H} up: 4N vectors, 2 synchronisations.
 */
export function fastFedPGRound(ctx: RoundContext, state: AlgorithmState): RoundOutcome {
  const { agents: N, size } = ctx;
  let envSteps = 0;
  const anchors = Array.from({ length: N }, (_, i) => {
    const c = new Float64Array(size);
    envSteps += ctx.oracles[i](state.thetaBar, ctx.stream(i, 'anchor'), c);
    return c;
  });
  const anchorMean = meanOf(anchors);
  const agents = anchors.map((c, i) => {
    const correction = anchorMean.map((cm, k) => cm - c[k]);
    const r = localUpdate(ctx, i, state.thetaBar, correction, ctx.reuseAnchor ? c : null);
    r.anchor = c;
    return r;
  });
  for (const a of agents) envSteps += a.envSteps;
  const thetaBar = aggregate(state.thetaBar, agents.map((a) => a.thetaLocal), ctx.serverStep);
  return { state: { ...state, thetaBar }, agents, anchorMean, envSteps, messages: 4 * N, syncs: 2 };
}
