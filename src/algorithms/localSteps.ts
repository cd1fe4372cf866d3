import { DivergenceError } from '../core/errors';
import type { AgentRound, RoundContext } from './algorithm';


/** What a local direction sees at step ℓ of agent i. */
export interface LocalStep {
  /** i. */
  readonly agent: number;
  /** ℓ = 0 … steps − 1. */
  readonly index: number;
  /** θ_{i,ℓ}, the point the step starts from. Read it; the loop moves it. */
  readonly theta: Float64Array;
  /** This step's stream label, `<label>:ℓ` (`step:ℓ` unless the loop was given another label). */
  readonly label: string;
  /**
   * ĝ_i(θ_{i,ℓ}), or ĝ_i(at), on this step's stream with the loop's batch; counted, and traced as the
   * step's gradient. The buffer belongs to the loop: copy it to keep it past the step.
   */
  gradient(at?: Float64Array): Float64Array;
  /**
   * On one batch sampled at θ_{i,ℓ} on this step's stream: ĝ_i(θ_{i,ℓ}) (returned, traced) and the
   * importance-weighted w·ĝ_i(previous) into `outPrevious` (RoundContext.weightedGradients); counted.
   */
  weightedGradients(previous: Float64Array, outPrevious: Float64Array): Float64Array;
  /** Trace `g` as this step's gradient instead of the one drawn (a reused anchor, a momentum direction). */
  record(g: ArrayLike<number>): void;
  /** Throw the loop's DivergenceError, naming `parameter`, when `v` has a non-finite entry (state the direction keeps itself). */
  checkFinite(v: ArrayLike<number>, parameter: string): void;
}

/**
 * A local direction v_ℓ = v(θ_{i,ℓ}, ℓ): the step is θ_{i,ℓ+1} = θ_{i,ℓ} + η v_ℓ. It may draw gradients
 * through `step`, keep state of its own between steps (a closure per agent), and return any array of
 * length d (the loop reads it before the next call).
 */
export type LocalDirection = (step: LocalStep) => ArrayLike<number>;

/** Options of `localSteps`. */
export interface LocalStepsOptions {
  /** Number of steps (default H). */
  steps?: number;
  /** Trajectories per estimate (default the config's M). */
  batch?: number;
  /** The step size (default the round's η_t). */
  stepSize?: number;
  /** Stream label of step ℓ: `<label>:ℓ` (default 'step'). */
  label?: string;
  /** How a divergence is reported (defaults: 'θ', 'local step', `stepSize η = …`, 'lower the step size'). */
  divergence?: { parameter?: string; stepName?: string; settings?: string; advice?: string };
}

/**
 * The local loop every algorithm with local phases runs (Zhu et al. 2024, Algorithm 1 step 3, generalised):
 *   θ_{i,ℓ+1} = θ_{i,ℓ} + η v_ℓ,  v_ℓ = direction(θ_{i,ℓ}, ℓ),  θ_{i,0} = start,  ℓ = 0 … steps − 1,
 * with drift_ℓ = ‖θ_{i,ℓ+1} − θ_{i,0}‖₂ recorded per step, every gradient the direction draws counted
 * (environment steps) and, at detail 'full', traced. Throws a DivergenceError naming the round, agent,
 * step and step size as soon as θ stops being finite. Fast-FedPG's corrected step, SCAFFOLD's, FedAvg-PG's,
 * a proximal pull (FedProx), a momentum direction and a personal step are all directions of this loop.
 */
export function localSteps(ctx: RoundContext, agent: number, start: Float64Array, direction: LocalDirection, options: LocalStepsOptions = {}): AgentRound {
  const { size } = ctx;
  const eta = options.stepSize ?? ctx.stepSize;
  const H = options.steps ?? ctx.localSteps;
  const label = options.label ?? 'step';
  const oracle = ctx.oracle(agent, options.batch);
  const theta = Float64Array.from(start);
  const g = new Float64Array(size);
  const drift = new Float64Array(H);
  const gradients: Float64Array[] | null = ctx.detail === 'full' ? [] : null;
  const said = options.divergence ?? {};
  const diverged = (parameter: string, l: number) =>
    new DivergenceError(
      `diverged: ${parameter} of agent ${agent} is not finite after ${said.stepName ?? 'local step'} ${l + 1} of round ${ctx.round + 1} (${said.settings ?? `stepSize η = ${eta}`}); ${said.advice ?? 'lower the step size'}`,
    );
  let drawn = 0;
  let weighted = 0;
  let traced: ArrayLike<number> | null = null;
  let l = 0;
  const step: LocalStep = {
    agent,
    get index() {
      return l;
    },
    theta,
    get label() {
      return `${label}:${l}`;
    },
    gradient(at = theta) {
      drawn += oracle(at, ctx.stream(agent, `${label}:${l}`), g);
      traced = g;
      return g;
    },
    weightedGradients(previous, outPrevious) {
      weighted += ctx.weightedGradients(agent, theta, previous, `${label}:${l}`, g, outPrevious);
      traced = g;
      return g;
    },
    record(v) {
      traced = v;
    },
    checkFinite(v, parameter) {
      let check = 0;
      for (let k = 0; k < v.length; k++) check += v[k];
      if (!Number.isFinite(check)) throw diverged(parameter, l);
    },
  };
  for (l = 0; l < H; l++) {
    traced = null;
    const v = direction(step);
    if (gradients) gradients.push(Float64Array.from(traced ?? v));
    let check = 0;
    let d2 = 0;
    for (let k = 0; k < size; k++) {
      theta[k] += eta * v[k];
      check += theta[k];
      d2 += (theta[k] - start[k]) * (theta[k] - start[k]);
    }
    if (!Number.isFinite(check)) throw diverged(said.parameter ?? 'θ', l);
    drift[l] = Math.sqrt(d2);
  }
  ctx.count({ envSteps: drawn });
  return { thetaLocal: theta, drift, gradients, correction: null, anchor: null, envSteps: drawn + weighted };
}
