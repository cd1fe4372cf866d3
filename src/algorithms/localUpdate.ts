import { DivergenceError } from '../core/errors';
import type { RoundContext } from './algorithm';

/** One agent's part of a round (for traces). */
export interface AgentRound {
  /** θ_{i,H}. */
  thetaLocal: Float64Array;
  /** ‖θ_{i,ℓ} − θ_{i,0}‖₂ for ℓ = 1..H. */
  drift: Float64Array;
  /** ĝ_i(θ_{i,ℓ}) for ℓ = 0..H−1 (detail 'full' only). */
  gradients: Float64Array[] | null;
  /** The correction added to every local gradient (c̄ − c_i, or c − c_i for SCAFFOLD); null when none. */
  correction: Float64Array | null;
  /** Anchor gradient c_i = ĝ_i(θ̄) (fast-fedpg). */
  anchor: Float64Array | null;
  /** Environment steps the local phase used. */
  envSteps: number;
}

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
 * `steps` (default H) local ascent steps of agent i from `start` (Zhu et al. 2024, Algorithm 1 step 3):
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η_t (ĝ_i(θ_{i,ℓ}) + correction),  ℓ = 0..H−1,
 * where ĝ_i at ℓ = 0 is `firstGradient` when given. Step ℓ draws from the stream `agent:i/step:ℓ`. Throws a
 * DivergenceError naming the round, agent, step and η as soon as θ stops being finite.
 */
export function localUpdate(ctx: RoundContext, agent: number, start: Float64Array, options: LocalUpdateOptions = {}): AgentRound {
  const { size, stepSize: eta } = ctx;
  const H = options.steps ?? ctx.localSteps;
  const correction = options.correction ?? null;
  const firstGradient = options.firstGradient ?? null;
  const oracle = ctx.oracle(agent, options.batch);
  const theta = Float64Array.from(start);
  const g = new Float64Array(size);
  const drift = new Float64Array(H);
  const gradients: Float64Array[] | null = ctx.detail === 'full' ? [] : null;
  let envSteps = 0;
  for (let l = 0; l < H; l++) {
    if (l === 0 && firstGradient) g.set(firstGradient);
    else envSteps += oracle(theta, ctx.stream(agent, `step:${l}`), g);
    if (gradients) gradients.push(Float64Array.from(g));
    let check = 0;
    let d2 = 0;
    for (let k = 0; k < size; k++) {
      theta[k] += eta * (correction ? g[k] + correction[k] : g[k]);
      check += theta[k];
      d2 += (theta[k] - start[k]) * (theta[k] - start[k]);
    }
    if (!Number.isFinite(check)) {
      throw new DivergenceError(`diverged: θ of agent ${agent} is not finite after local step ${l + 1} of round ${ctx.round + 1} (stepSize η = ${eta}); lower the step size`);
    }
    drift[l] = Math.sqrt(d2);
  }
  ctx.count({ envSteps });
  return { thetaLocal: theta, drift, gradients, correction, anchor: null, envSteps };
}
