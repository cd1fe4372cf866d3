import { buildAlias } from '../core/alias';
import { checkDistribution, checkInRange, checkInteger, fail, formatValue } from '../core/check';
import { checkCoordinateTable, type CoordinateTable } from './stateSpace';
import { type SparseRow, type Transitions, transitionsFromDense, transitionsFromRows } from './transitions';

/**
 * A federated problem: N agents whose MDPs M_i = (S, A, R_i, P_i, γ, ρ) share the discount γ and the
 * initial distribution ρ and differ in their reward tables R_i (docs/paper.md, Setting). Either all share
 * one transition model P (`agentTransitions` absent: the paper's setting, and the fast path every routine
 * takes unchanged) or agent i has its own P_i (`agentTransitions[i]`, Theorem 2's extension;
 * docs/heterogeneous-transitions.md). Read agent i's kernel through `agentMDP(problem, i)`.
 * Rewards are dense row-major: `rewards[i][s*A + a]` (layout: mdp/transitions.ts).
 */
export interface FederatedProblem {
  readonly name: string;
  readonly S: number;
  readonly A: number;
  readonly gamma: number;
  readonly rho: Float64Array;
  /** The shared P; with per-agent transitions, agent 0's P_0 (the others are in `agentTransitions`). */
  readonly transitions: Transitions;
  /** One P_i per agent when the agents' transitions differ; absent when P is shared. */
  readonly agentTransitions?: readonly Transitions[];
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
  /** Coordinates of the states (a grid's row and column), for tile coding and radial basis features (mdp/stateSpace.ts). Not written to problem files. */
  readonly coordinates?: CoordinateTable;
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
  /** The problem's state coordinates, when it has them. */
  readonly coordinates?: CoordinateTable;
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
  /** The shared P; omit it when `agentTransitions` is given. */
  transitions?: TransitionsSpec;
  /** One P_i per agent (length N), each over the same S and A; instead of `transitions`. */
  agentTransitions?: ArrayLike<TransitionsSpec>;
  /** One table per agent, each of length S·A: `rewards[i][s*A + a]`. */
  rewards: ArrayLike<ArrayLike<number>>;
  agentNames?: readonly string[];
  stateNames?: readonly string[];
  actionNames?: readonly string[];
  meta?: Record<string, unknown>;
  /** Ground-truth groups: agent i's cluster, integers 0..K−1 with every label used (length N). */
  clusterOf?: readonly number[];
  /** Coordinates of the states: { names, low, high, values (S·k) } (mdp/stateSpace.ts). */
  coordinates?: { names: readonly string[]; low: readonly number[]; high: readonly number[]; values: ArrayLike<number> };
}

function buildTransitions(S: number, A: number, spec: TransitionsSpec, field = 'transitions'): Transitions {
  if (spec == null || typeof spec !== 'object') fail(field, spec, 'must be an object');
  if ('rowStart' in spec) {
    if (spec.S !== S) fail(`${field}.S`, spec.S, `is ${spec.S} but S is ${S}`);
    if (spec.A !== A) fail(`${field}.A`, spec.A, `is ${spec.A} but A is ${A}`);
    return spec;
  }
  if ('dense' in spec) return transitionsFromDense(S, A, spec.dense, field);
  if ('rows' in spec) return transitionsFromRows(S, A, spec.rows, field);
  return fail(field, spec, 'must have a "dense" array or "rows"');
}

/** Shared P, or one P_i per agent: exactly one of `transitions` and `agentTransitions` (length N). */
function buildAllTransitions(S: number, A: number, N: number, spec: ProblemSpec): { transitions: Transitions; agentTransitions?: Transitions[] } {
  const perAgent = spec.agentTransitions;
  if (perAgent === undefined) {
    if (spec.transitions === undefined) fail('transitions', undefined, 'is missing: give the shared P as "transitions" or one P_i per agent as "agentTransitions"');
    return { transitions: buildTransitions(S, A, spec.transitions) };
  }
  if (spec.transitions !== undefined) fail('transitions', spec.transitions, 'and agentTransitions are both given: give the shared P or one P_i per agent, not both');
  if (perAgent == null || typeof perAgent !== 'object' || typeof perAgent.length !== 'number') {
    fail('agentTransitions', perAgent, `must be an array of N = ${N} transition models, got ${formatValue(perAgent)}`);
  }
  if (perAgent.length !== N) fail('agentTransitions', perAgent, `has ${perAgent.length} transition models, expected one per agent (N = ${N})`);
  const agentTransitions = Array.from({ length: N }, (_, i) => buildTransitions(S, A, perAgent[i], `agentTransitions[${i}]`));
  return { transitions: agentTransitions[0], agentTransitions };
}

function checkNames(field: string, names: readonly string[] | undefined, n: number): readonly string[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length !== n) fail(field, names, `must be ${n} names, got ${formatValue(names)}`);
  names.forEach((x, i) => typeof x === 'string' || fail(`${field}[${i}]`, x, `must be a string, got ${formatValue(x)}`));
  return [...names];
}

/**
 * Check ground-truth cluster labels: one per agent (length N), integers ≥ 0, and the labels used are exactly
 * 0..K−1 with K = 1 + the largest (no empty cluster). Errors name the field and the value.
 */
function checkClusterOf(field: string, labels: unknown, n: number): number[] {
  if (!Array.isArray(labels)) fail(field, labels, `must be an array of ${n} cluster labels (one per agent), got ${formatValue(labels)}`);
  if (labels.length !== n) fail(field, labels, `has length ${labels.length}, expected one label per agent (N = ${n})`);
  labels.forEach((l, i) => (typeof l === 'number' && Number.isInteger(l) && l >= 0) || fail(`${field}[${i}]`, l, `must be an integer ≥ 0, got ${formatValue(l)}`));
  const K = Math.max(...(labels as number[])) + 1;
  const used = new Set(labels as number[]);
  const shown = labels.length <= 20 ? JSON.stringify(labels) : `an array of length ${labels.length}`;
  for (let k = 0; k < K; k++) if (!used.has(k)) fail(field, labels, `is ${shown}: no agent has label ${k}, but the labels must be 0..K−1 (K = ${K}), each used`);
  return [...(labels as number[])];
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
 * distribution, both or neither of `transitions` and `agentTransitions`, a number of P_i other than N,
 * transition rows not summing to 1 (tolerance 1e-9) or with negative / non-finite entries, reward tables of the wrong size or with non-finite entries, zero agents, inconsistent S or A, and a coordinate table of the wrong shape.
 */
export function createProblem(spec: ProblemSpec): FederatedProblem {
  if (spec == null || typeof spec !== 'object') fail('problem', spec, 'must be an object');
  const S = checkInteger('S', spec.S, 1);
  const A = checkInteger('A', spec.A, 1);
  const gamma = checkInRange('gamma', spec.gamma, 0, 1, { hiOpen: true });
  const rho = checkDistribution('rho', spec.rho, S);
  // A shared P is validated before the rewards, as it always was (the same first error for the same input).
  const shared = spec.agentTransitions === undefined ? buildAllTransitions(S, A, 0, spec) : undefined;
  const rewardsIn = spec.rewards;
  if (rewardsIn == null || typeof rewardsIn !== 'object' || typeof rewardsIn.length !== 'number') {
    fail('rewards', rewardsIn, `must be an array of reward tables, got ${formatValue(rewardsIn)}`);
  }
  if (rewardsIn.length === 0) fail('rewards', rewardsIn, 'is empty: a problem needs at least one agent');
  const rewards = Array.from({ length: rewardsIn.length }, (_, i) => checkRewardTable(`rewards[${i}]`, rewardsIn[i], S, A));
  const N = rewards.length;
  const { transitions, agentTransitions } = shared ?? buildAllTransitions(S, A, N, spec);
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
    ...(agentTransitions ? { agentTransitions } : {}),
    rewards,
    agentNames,
    stateNames: checkNames('stateNames', spec.stateNames, S),
    actionNames: checkNames('actionNames', spec.actionNames, A),
    rhoCut,
    rhoOther,
    meta: spec.meta,
    ...(spec.clusterOf !== undefined ? { clusterOf: checkClusterOf('clusterOf', spec.clusterOf, N) } : {}),
    ...(spec.coordinates !== undefined ? { coordinates: checkCoordinateTable('coordinates', spec.coordinates, S) } : {}),
  };
}

/** True when the agents share one P (the averaged MDP exists); false with per-agent P_i. */
export function hasSharedTransitions(problem: FederatedProblem): boolean {
  return problem.agentTransitions === undefined;
}

/** Number of agents N. */
export function agentCount(problem: FederatedProblem): number {
  return problem.rewards.length;
}
