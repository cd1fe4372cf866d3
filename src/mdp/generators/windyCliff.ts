import { fail, formatValue } from '../../core/check';
import { type Limits, WINDY_CLIFF_SCHEMA } from '../../core/parameters';
import { validateObject } from '../../core/schema';
import { checkProblemEntries } from '../../core/limits';
import { createProblem, type FederatedProblem } from '../problem';
import type { SparseRow } from '../transitions';

/** Parameters of the windy cliff. */
export interface WindyCliffOptions {
  /** Grid width X ≥ 3. */
  width: number;
  /** Grid height Y ≥ 2. */
  height: number;
  /** Wind strength θ_i ∈ [0, 1] of each agent; N = winds.length. */
  winds: readonly number[];
  gamma: number;
  limits?: Partial<Limits>;
}

/** Actions of the windy cliff, in index order (the wind blows down). */
export const WINDY_CLIFF_ACTIONS = ['up', 'down', 'left', 'right'] as const;

/** Rewards of entering a cell: the goal, a cliff cell, any other cell (Jin et al.'s +100, −100, −1, divided by 100). */
export const WINDY_CLIFF_REWARDS = { goal: 1, cliff: -1, step: -0.01 } as const;

/**
 * The WindyCliff gridworld of Jin, Peng, Yang, Wang, Zhang (AISTATS 2022), one wind strength per agent: an
 * X × Y grid, state s = y·X + x with y = 0 the bottom row; the agent starts at (0, 0) (ρ = δ₀); the bottom
 * cells 1 … X−2 are a cliff and X−1 is the goal, and from any of those every action returns to the start.
 * Elsewhere 'down' moves down, and any other action moves as intended with probability 1 − θ_i/3 and is blown
 * down with probability θ_i/3 (a move off the grid stays put). Entering a cell pays +1 (goal), −1 (cliff) or
 * −0.01 (their rewards ÷ 100), so R_i(s, a) = Σ_s' P_i(s'|s, a) r(s') depends on the agent through P_i only.
 * For two agents, every row of a non-'down' action in the interior has ‖P_i − P_j‖₁ = 2|θ_i − θ_j|/3.
 */
export function windyCliff(options: WindyCliffOptions): FederatedProblem {
  const { width: X, height: Y, winds, gamma } = checkWindyCliffOptions(options);
  const N = winds.length;
  const S = X * Y;
  const A = 4;
  const enter = (s: number) => (s === X - 1 ? WINDY_CLIFF_REWARDS.goal : s >= 1 && s < X - 1 ? WINDY_CLIFF_REWARDS.cliff : WINDY_CLIFF_REWARDS.step);
  const move = (s: number, a: number) => {
    const x = s % X;
    const y = (s - x) / X;
    if (a === 0) return y === Y - 1 ? s : s + X;
    if (a === 1) return y === 0 ? s : s - X;
    if (a === 2) return x === 0 ? s : s - 1;
    return x === X - 1 ? s : s + 1;
  };
  const agentTransitions: { rows: SparseRow[] }[] = [];
  const rewards: Float64Array[] = [];
  for (const theta of winds) {
    const rows: SparseRow[] = [];
    const R = new Float64Array(S * A);
    for (let s = 0; s < S; s++) {
      for (let a = 0; a < A; a++) {
        const reset = s >= 1 && s < X;
        const row: SparseRow = reset ? { next: [0], prob: [1] } : a === 1 ? { next: [move(s, 1)], prob: [1] } : { next: [move(s, a), move(s, 1)], prob: [1 - theta / 3, theta / 3] };
        rows.push(row);
        for (let j = 0; j < row.next.length; j++) R[s * A + a] += row.prob[j] * enter(row.next[j]);
      }
    }
    agentTransitions.push({ rows });
    rewards.push(R);
  }
  const rho = new Float64Array(S);
  rho[0] = 1;
  return createProblem({
    name: `windy-cliff-${X}x${Y}-winds${winds.join(',')}`,
    S,
    A,
    gamma,
    rho,
    agentTransitions,
    rewards,
    agentNames: winds.map((w, i) => `agent ${i} (θ = ${w})`),
    actionNames: [...WINDY_CLIFF_ACTIONS],
    meta: { generator: 'windy-cliff', ...options },
  });
}

/**
 * The windy cliff's options checked (WINDY_CLIFF_SCHEMA, each wind in [0, 1], the size limit on its
 * N·S·A·3 table entries) without building it: experiment files are checked with it when read.
 */
export function checkWindyCliffOptions(options: WindyCliffOptions): { width: number; height: number; winds: number[]; gamma: number } {
  const o = validateObject('', options, WINDY_CLIFF_SCHEMA, 'windyCliff options');
  const X = o.width as number;
  const Y = o.height as number;
  const winds = o.winds as unknown;
  if (!Array.isArray(winds) || winds.length === 0) fail('winds', winds, `must be a non-empty array of wind strengths in [0, 1], got ${formatValue(winds)}`);
  winds.forEach((w, i) => (typeof w === 'number' && w >= 0 && w <= 1) || fail(`winds[${i}]`, w, `must be a number in [0, 1], got ${formatValue(w)}`));
  const N = winds.length;
  const S = X * Y;
  checkProblemEntries('width', N * S * 4 * 2 + N * S * 4, `N·S·A·2 + N·S·A = ${N}·${S}·4·2 + ${N}·${S}·4`, o.limits);
  return { width: X, height: Y, winds: winds as number[], gamma: o.gamma as number };
}

/**
 * N winds spread evenly from calm to `wind`: θ_i = wind · i/(N − 1), agent 0 windless (as agent 0 keeps the
 * centre kernel under the Garnet's κ). Any two agents then differ by ‖P_i − P_j‖₁ = 2|θ_i − θ_j|/3 ≤ 2·wind/3
 * on every interior non-'down' row. How experiment files (`generator: 'windy-cliff'`, `agents`, `wind`) set
 * the winds. A single agent is windless, so N = 1 with wind > 0 is refused (the wind would change nothing).
 */
export function evenWinds(agents: number, wind: number): number[] {
  if (agents === 1 && wind > 0) fail('wind', wind, `is ${formatValue(wind)} with agents = 1: a single agent is windless (θ_0 = 0), so the wind would change nothing; use agents ≥ 2 or wind 0`);
  return Array.from({ length: agents }, (_, i) => (agents === 1 ? 0 : (wind * i) / (agents - 1)));
}
