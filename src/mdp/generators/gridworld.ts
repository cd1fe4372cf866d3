import { checkInteger, fail } from '../../core/check';
import { GRIDWORLD_SCHEMA, type Limits } from '../../core/parameters';
import { validateObject } from '../../core/schema';
import { checkProblemEntries } from '../../core/limits';
import { createProblem, type FederatedProblem } from '../problem';
import type { SparseRow } from '../transitions';

/** A cell [row, column] of a grid, row 0 at the top. */
export type Cell = readonly [number, number];

/** Parameters of the multi-goal gridworld. */
export interface GridworldOptions {
  width: number;
  height: number;
  /** Goal cell of each agent; the number of goals is N. */
  goals: readonly Cell[];
  /** Probability that a move goes in a uniformly random direction instead (stay included). Default 0.1. */
  slip?: number;
  walls?: readonly Cell[];
  gamma: number;
  /** Start cell; default: ρ uniform over the open cells. */
  start?: Cell;
  /** Raise the size limit `problemEntries` (core/parameters.ts). */
  limits?: Partial<Limits>;
}

/** Actions of the gridworld, in index order. */
export const GRID_ACTIONS = ['up', 'right', 'down', 'left', 'stay'] as const;
const MOVES: readonly Cell[] = [[-1, 0], [0, 1], [1, 0], [0, -1], [0, 0]];

/**
 * The (row, column) of each open cell as the states' coordinates, each cell spanning [r − ½, r + ½] ×
 * [c − ½, c + ½] of the box [−½, H − ½] × [−½, W − ½] (so that tiles over the box cover whole cells).
 */
export function gridCoordinates(cells: readonly number[], W: number, H: number): { names: string[]; low: number[]; high: number[]; values: Float64Array } {
  const values = new Float64Array(2 * cells.length);
  cells.forEach((k, s) => {
    values[2 * s] = Math.floor(k / W);
    values[2 * s + 1] = k % W;
  });
  return { names: ['row', 'column'], low: [-0.5, -0.5], high: [H - 0.5, W - 0.5], values };
}

/**
 * Multi-goal gridworld (a multi-task RL classic): states are the open cells (walls removed), actions
 * up/right/down/left/stay; a move into a wall or the border stays put; with probability `slip` the move is
 * replaced by one of the five actions drawn uniformly. Agent i earns reward 1 in every step it spends in
 * its own goal cell (R_i(s,a) = 1[s = goal_i]), so the agents share dynamics and differ in their goals.
 */
export function gridworld(options: GridworldOptions): FederatedProblem {
  const o = validateObject('', options, GRIDWORLD_SCHEMA, 'gridworld options');
  const W = o.width as number;
  const H = o.height as number;
  const slip = o.slip as number;
  if (!Array.isArray(o.goals)) fail('goals', o.goals, 'must list at least one goal cell [row, column]');
  checkProblemEntries('width', W * H * 25 + (o.goals as unknown[]).length * W * H * 5, `W·H·A·A + N·W·H·A (A = 5)`, o.limits);
  const wallSet = new Set<number>();
  const checkCell = (field: string, c: Cell): number => {
    if (!Array.isArray(c) || c.length !== 2) fail(field, c, 'must be a [row, column] pair');
    checkInteger(`${field}[0]`, c[0], 0, H - 1);
    checkInteger(`${field}[1]`, c[1], 0, W - 1);
    return c[0] * W + c[1];
  };
  (o.walls as Cell[]).forEach((c, i) => wallSet.add(checkCell(`walls[${i}]`, c)));
  const stateOf = new Int32Array(W * H).fill(-1);
  const cells: number[] = [];
  for (let k = 0; k < W * H; k++) if (!wallSet.has(k)) stateOf[k] = cells.push(k) - 1;
  if (cells.length === 0) fail('walls', o.walls, 'cover every cell');
  const S = cells.length;
  const A = GRID_ACTIONS.length;
  if (!Array.isArray(options.goals) || options.goals.length === 0) fail('goals', options.goals, 'must list at least one goal cell');
  const goals = options.goals.map((c, i) => {
    const k = checkCell(`goals[${i}]`, c);
    if (wallSet.has(k)) fail(`goals[${i}]`, c, `is a wall cell [${c[0]}, ${c[1]}]`);
    return stateOf[k];
  });
  const moveTo = (k: number, m: number): number => {
    const r = Math.floor(k / W) + MOVES[m][0];
    const c = (k % W) + MOVES[m][1];
    if (r < 0 || r >= H || c < 0 || c >= W || wallSet.has(r * W + c)) return stateOf[k];
    return stateOf[r * W + c];
  };
  const rows: SparseRow[] = [];
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const next: number[] = [];
      const prob: number[] = [];
      for (let m = 0; m < A; m++) {
        next.push(moveTo(cells[s], m));
        prob.push((m === a ? 1 - slip : 0) + slip / A);
      }
      rows.push({ next, prob });
    }
  }
  const rho = new Float64Array(S);
  if (options.start) {
    const k = checkCell('start', options.start);
    if (wallSet.has(k)) fail('start', options.start, 'is a wall cell');
    rho[stateOf[k]] = 1;
  } else rho.fill(1 / S);
  const rewards = goals.map((g) => {
    const R = new Float64Array(S * A);
    for (let a = 0; a < A; a++) R[g * A + a] = 1;
    return R;
  });
  return createProblem({
    name: `gridworld-${W}x${H}-N${goals.length}`,
    S,
    A,
    gamma: options.gamma,
    rho,
    transitions: { rows },
    rewards,
    agentNames: options.goals.map((c) => `goal (${c[0]},${c[1]})`),
    stateNames: cells.map((k) => `(${Math.floor(k / W)},${k % W})`),
    actionNames: [...GRID_ACTIONS],
    meta: { generator: 'gridworld', ...options },
    coordinates: gridCoordinates(cells, W, H),
  });
}
