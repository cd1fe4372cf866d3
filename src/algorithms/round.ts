import { DivergenceError } from '../core/errors';
import type { Rng } from '../core/rng';
import type { Detail } from './config';
import type { Oracle } from './oracle';

/** What every algorithm's round function is given. */
export interface RoundContext {
  /** 0-based index t of the round being run (θ̄ᵗ → θ̄ᵗ⁺¹). */
  readonly round: number;
  readonly agents: number;
  /** Parameters per policy, S·A. */
  readonly size: number;
  /** H. */
  readonly localSteps: number;
  /** η_t. */
  readonly stepSize: number;
  /** α_g. */
  readonly serverStep: number;
  readonly oracles: readonly Oracle[];
  /** Stream of agent i for a purpose: `seed/round:t/agent:i/<label>` (labels 'anchor', 'step:ℓ'). */
  readonly stream: (agent: number, label: string) => Rng;
  readonly detail: Detail;
  readonly reuseAnchor: boolean;
}

/** The algorithm's explicit state between rounds (all that `run.state` needs besides counters). */
export interface AlgorithmState {
  thetaBar: Float64Array;
  /** local-pg: each agent's own parameters θ_i. */
  agentTheta: Float64Array[] | null;
  /** scaffold: control variates c_i. */
  controls: Float64Array[] | null;
  /** scaffold: server control variate c. */
  serverControl: Float64Array | null;
}

/** One agent's part of a round. */
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

/** What a round function returns. */
export interface RoundOutcome {
  state: AlgorithmState;
  agents: AgentRound[];
  /** c̄ (fast-fedpg), c (scaffold, after the update). */
  anchorMean: Float64Array | null;
  envSteps: number;
  /** Vectors sent between the server and the agents this round, both directions. */
  messages: number;
  /** Synchronisations (server ↔ all agents exchanges) this round. */
  syncs: number;
}

/** A round function: one communication round of one algorithm over explicit state (no hidden state). */
export type RoundFunction = (ctx: RoundContext, state: AlgorithmState) => RoundOutcome;

/**
 * H local ascent steps of agent i from `start` (docs/paper.md, Fast-FedPG step 3, ascent form):
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η (ĝ_i(θ_{i,ℓ}) + correction),  ℓ = 0..H−1,
 * where ĝ_i at ℓ = 0 is `firstGradient` when given (Fast-FedPG's reuseAnchor). Step ℓ draws from the
 * stream `agent:i/step:ℓ`. Throws a DivergenceError naming the round, agent, step and η as soon as θ
 * stops being finite.
 */
export function localUpdate(
  ctx: RoundContext,
  agent: number,
  start: Float64Array,
  correction: Float64Array | null,
  firstGradient: Float64Array | null = null,
): AgentRound {
  const { size, localSteps: H, stepSize: eta } = ctx;
  const theta = Float64Array.from(start);
  const g = new Float64Array(size);
  const drift = new Float64Array(H);
  const gradients: Float64Array[] | null = ctx.detail === 'full' ? [] : null;
  let envSteps = 0;
  for (let l = 0; l < H; l++) {
    if (l === 0 && firstGradient) g.set(firstGradient);
    else envSteps += ctx.oracles[agent](theta, ctx.stream(agent, `step:${l}`), g);
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
  return { thetaLocal: theta, drift, gradients, correction, anchor: null, envSteps };
}

/**
 * Mean of vectors in shifted form, x̄ = x₀ + (1/n) Σ_i (x_i − x₀): the same value as (1/n) Σ x_i up to
 * round-off, and exactly x₀ when all x_i are equal (so identical agents give an exactly zero correction).
 */
export function meanOf(xs: readonly Float64Array[]): Float64Array {
  const n = xs.length;
  const out = Float64Array.from(xs[0]);
  if (n === 1) return out;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let i = 1; i < n; i++) s += xs[i][k] - xs[0][k];
    out[k] += s / n;
  }
  return out;
}

/** Server aggregation (docs/paper.md, Fast-FedPG step 4): θ̄ᵗ⁺¹ = θ̄ᵗ + (α_g/N) Σ_i (θ_{i,H} − θ̄ᵗ). */
export function aggregate(thetaBar: Float64Array, locals: readonly Float64Array[], serverStep: number): Float64Array {
  const out = Float64Array.from(thetaBar);
  const n = locals.length;
  for (let k = 0; k < out.length; k++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += locals[i][k] - thetaBar[k];
    out[k] += (serverStep * s) / n;
  }
  return out;
}
