import { checkInRange, checkInteger } from '../../core/check';
import { createRng, type Rng } from '../../core/rng';
import { createProblem, type FederatedProblem } from '../problem';
import type { SparseRow } from '../transitions';

/** Parameters of a federated Garnet problem. */
export interface GarnetOptions {
  states: number;
  actions: number;
  /** Successors per (s,a), b ∈ [1, S]. */
  branching: number;
  agents: number;
  gamma: number;
  /** Spread of the agents' rewards in [0, 1]: 0 identical, 1 independent. */
  heterogeneity: number;
  seed: number | string;
}

/** b distinct states drawn uniformly without replacement (partial Fisher–Yates), sorted. */
function distinctStates(S: number, b: number, rng: Rng, scratch: Int32Array): number[] {
  for (let i = 0; i < S; i++) scratch[i] = i;
  for (let i = 0; i < b; i++) {
    const j = i + Math.floor(rng.double() * (S - i));
    const t = scratch[i];
    scratch[i] = scratch[j];
    scratch[j] = t;
  }
  return Array.from(scratch.subarray(0, b)).sort((x, y) => x - y);
}

/** Probabilities as the gaps between b − 1 sorted uniforms on [0, 1] (a uniform point of the simplex). */
function simplexPoint(b: number, rng: Rng): number[] {
  const cuts = [0, ...Array.from({ length: b - 1 }, () => rng.double()).sort((x, y) => x - y), 1];
  const p = cuts.slice(1).map((c, i) => c - cuts[i]);
  // Renormalise so that the row sums to 1 to the last bit that division allows.
  const z = p.reduce((x, y) => x + y, 0);
  return p.map((x) => x / z);
}

/**
 * A Garnet (Archibald et al. 1995) shared by N agents. P: for each (s,a), b distinct successors drawn
 * uniformly, with probabilities a uniform point of the simplex. Rewards (our choice, PAPER.md leaves it
 * open): a base table R₀ ~ U[0,1]^{S·A} and independent tables U_i ~ U[0,1]^{S·A};
 * R_i = (1 − h) R₀ + h U_i, so every R_i ∈ [0,1], h = 0 gives identical agents and h = 1 independent ones.
 * ρ is uniform. Streams: `seed/transitions`, `seed/reward:base`, `seed/reward:agent:i`, so agent i's
 * reward does not change when N changes.
 */
export function garnet(options: GarnetOptions): FederatedProblem {
  const S = checkInteger('states', options.states, 1);
  const A = checkInteger('actions', options.actions, 1);
  const b = checkInteger('branching', options.branching, 1, S);
  const N = checkInteger('agents', options.agents, 1);
  const h = checkInRange('heterogeneity', options.heterogeneity, 0, 1);
  const root = createRng(options.seed);
  const transitionRng = root.fold('transitions');
  const scratch = new Int32Array(S);
  const rows: SparseRow[] = [];
  for (let r = 0; r < S * A; r++) rows.push({ next: distinctStates(S, b, transitionRng, scratch), prob: simplexPoint(b, transitionRng) });
  const baseRng = root.fold('reward:base');
  const base = Float64Array.from({ length: S * A }, () => baseRng.double());
  const rewards = Array.from({ length: N }, (_, i) => {
    const own = root.fold(`reward:agent:${i}`);
    return Float64Array.from(base, (r0) => (1 - h) * r0 + h * own.double());
  });
  return createProblem({
    name: `garnet-S${S}-A${A}-b${b}-N${N}-h${h}-seed${options.seed}`,
    S,
    A,
    gamma: options.gamma,
    rho: new Float64Array(S).fill(1 / S),
    transitions: { rows },
    rewards,
    meta: { generator: 'garnet', ...options },
  });
}
