import type { RoundContext } from './algorithm';
import type { AgentRound } from './algorithm';
import { localSteps } from './localSteps';

/** Options of `localUpdate`. */
export interface LocalUpdateOptions {
  /** Added to every local gradient. */
  correction?: Float64Array | null;
  /** Used as ĝ_i(θ_{i,0}) instead of a fresh estimate (Fast-FedPG's reuseAnchor). */
  firstGradient?: Float64Array | null;
  /** Number of steps (default H). */
  steps?: number;
  /** Trajectories per estimate (default the config's M). */
  batch?: number;
}

/**
 * `steps` (default H) corrected local ascent steps of agent i from `start` (Zhu et al. 2024, Algorithm 1
 * step 3), the local loop (localSteps.ts) with the direction v_ℓ = ĝ_i(θ_{i,ℓ}) + correction:
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η_t (ĝ_i(θ_{i,ℓ}) + correction),  ℓ = 0..H−1,
 * where ĝ_i at ℓ = 0 is `firstGradient` when given. Step ℓ draws from the stream `agent:i/step:ℓ`.
 * Fast-FedPG (correction c̄ − c_i), SCAFFOLD (c − c_i), FedAvg-PG, local PG and minibatch PG use it.
 */
export function localUpdate(ctx: RoundContext, agent: number, start: Float64Array, options: LocalUpdateOptions = {}): AgentRound {
  const correction = options.correction ?? null;
  const firstGradient = options.firstGradient ?? null;
  const v = correction ? new Float64Array(ctx.size) : null;
  const r = localSteps(
    ctx,
    agent,
    start,
    (step) => {
      let g: Float64Array;
      if (step.index === 0 && firstGradient) {
        g = firstGradient;
        step.record(g);
      } else g = step.gradient();
      if (!correction || !v) return g;
      for (let k = 0; k < v.length; k++) v[k] = g[k] + correction[k];
      return v;
    },
    { steps: options.steps, batch: options.batch },
  );
  r.correction = correction;
  return r;
}
