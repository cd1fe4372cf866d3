import { buildAlias } from '../core/alias';
import { checkDistribution, checkInRange, checkInteger, fail, formatValue } from '../core/check';
import { type SparseRow, type Transitions, transitionsFromDense, transitionsFromRows } from './transitions';

/**
 * A federated problem: N agents whose MDPs M_i = (S, A, R_i, P, γ, ρ) share the transitions P, the
 * discount γ and the initial distribution ρ and differ only in their reward tables R_i (docs/paper.md, Setting).
 * Rewards are dense row-major: `rewards[i][s*A + a]` (layout: mdp/transitions.ts).
 */
export interface FederatedProblem {
  readonly name: string;
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly rho: Float64Array;
  readonly transitions: Transitions;
  readonly rewards: readonly Float64Array[];
  readonly agentNames: readonly string[];
  readonly stateNames?: readonly string[];
  readonly actionNames?: readonly string[];
  /** Alias table of ρ for O(1) draws of s₀ (core/alias.ts). */
  readonly rhoCut: Float64Array;
  readonly rhoOther: Int32Array;
  /** Free-form provenance, e.g. the generator and its parameters. */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Ground-truth groups of a clustered problem (garnet's rewardClusters): agent i's cluster in 0..K−1. */
  readonly clusterOf?: readonly number[];
}

/** One MDP (S, A, R, P, γ, ρ): an agent's view of a federated problem or the averaged MDP. */
export interface TabularMDP {
  readonly name: string;
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly rho: Float64Array;
  readonly transitions: Transitions;
  readonly reward: Float64Array;
  readonly rhoCut: Float64Array;
  readonly rhoOther: Int32Array;
}

/** Transitions given as a built model, a dense S·A·S array `P[(s*A+a)*S + s']`, or sparse rows `rows[s*A+a]`. */
export type TransitionsSpec = Transitions | { dense: ArrayLike<number> } | { rows: ArrayLike<SparseRow> };

/** What `createProblem` accepts. */
export interface ProblemSpec {
  name?: string;
  S: number;
  A: number;
  gamma: number;
  rho: ArrayLike<number>;
  transitions: TransitionsSpec;
  /** One table per agent, each of length S·A: `rewards[i][s*A + a]`. */
  rewards: ArrayLike<ArrayLike<number>>;
  agentNames?: readonly string[];
  stateNames?: readonly string[];
  actionNames?: readonly string[];
  meta?: Record<string, unknown>;
}

function buildTransitions(S: number, A: number, spec: TransitionsSpec): Transitions {
  if (spec == null || typeof spec !== 'object') fail('transitions', spec, 'must be an object');
  if ('rowStart' in spec) {
    if (spec.S !== S) fail('transitions.S', spec.S, `is ${spec.S} but S is ${S}`);
    if (spec.A !== A) fail('transitions.A', spec.A, `is ${spec.A} but A is ${A}`);
    return spec;
  }
  if ('dense' in spec) return transitionsFromDense(S, A, spec.dense);
  if ('rows' in spec) return transitionsFromRows(S, A, spec.rows);
  return fail('transitions', spec, 'must have a "dense" array or "rows"');
}

function checkNames(field: string, names: readonly string[] | undefined, n: number): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length !== n) fail(field, names, `must be ${n} names, got ${formatValue(names)}`);
  names.forEach((x, i) => typeof x === 'string' || fail(`${field}[${i}]`, x, `must be a string, got ${formatValue(x)}`));
  return [...names];
}

/** Check one reward table: length S·A, every entry finite (errors name `rewards[i][k]`). */
export function checkRewardTable(field: string, table: unknown, S: number, A: number): Float64Array {
  const t = table as ArrayLike<unknown>;
  if (t == null || typeof t !== 'object' || typeof t.length !== 'number') {
    fail(field, table, `must be an array of S·A = ${S * A} numbers, got ${formatValue(table)}`);
  }
  if (t.length !== S * A) fail(field, table, `has length ${t.length}, expected S·A = ${S * A}`);
  const out = new Float64Array(S * A);
  for (let k = 0; k < S * A; k++) {
    const v = t[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${field}[${k}]`, v, `is ${formatValue(v)} (s=${Math.floor(k / A)}, a=${k % A})`);
    out[k] = v;
  }
  return out;
}

/**
 * Validate a problem specification and build a FederatedProblem. Rejects γ outside [0,1), ρ that is not a
 * distribution, transition rows not summing to 1 (tolerance 1e-9) or with negative / non-finite entries,
 * reward tables of the wrong size or with non-finite entries, zero agents, and inconsistent S or A.
 */
export function createProblem(spec: ProblemSpec): FederatedProblem {
  if (spec == null || typeof spec !== 'object') fail('problem', spec, 'must be an object');
  const S = checkInteger('S', spec.S, 1);
  const A = checkInteger('A', spec.A, 1);
  const gamma = checkInRange('gamma', spec.gamma, 0, 1, { hiOpen: true });
  const rho = checkDistribution('rho', spec.rho, S);
  const transitions = buildTransitions(S, A, spec.transitions);
  const rewardsIn = spec.rewards;
  if (rewardsIn == null || typeof rewardsIn !== 'object' || typeof rewardsIn.length !== 'number') {
    fail('rewards', rewardsIn, `must be an array of reward tables, got ${formatValue(rewardsIn)}`);
  }
  if (rewardsIn.length === 0) fail('rewards', rewardsIn, 'is empty: a problem needs at least one agent');
  const rewards = Array.from({ length: rewardsIn.length }, (_, i) => checkRewardTable(`rewards[${i}]`, rewardsIn[i], S, A));
  const N = rewards.length;
  const agentNames = checkNames('agentNames', spec.agentNames, N) ?? rewards.map((_, i) => `agent ${i}`);
  const rhoCut = new Float64Array(S);
  const rhoOther = new Int32Array(S);
  buildAlias(rho, 0, S, rhoCut, rhoOther);
  return {
    name: spec.name ?? 'problem',
    S,
    A,
    gamma,
    rho,
    transitions,
    rewards,
    agentNames,
    stateNames: checkNames('stateNames', spec.stateNames, S),
    actionNames: checkNames('actionNames', spec.actionNames, A),
    rhoCut,
    rhoOther,
    meta: spec.meta,
  };
}

/** Number of agents N. */
export function agentCount(problem: FederatedProblem): number {
  return problem.rewards.length;
}
