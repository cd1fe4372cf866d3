import { fail, formatValue } from '../core/check';
import { ValidationError } from '../core/errors';
import { PROBLEM_FILE_SCHEMA } from '../core/parameters';
import { checkKnownKeys } from '../core/schema';
import { createProblem, type FederatedProblem, type TransitionsSpec } from './problem';
import type { SparseRow, Transitions } from './transitions';

/** Format tag of problem files (schema: data/README.md). */
export const PROBLEM_FORMAT = 'fedpg-lab/problem@1';

/** A transition model as JSON: `dense[s][a][s']` or `sparse[s][a] = { next, prob }`. */
export type TransitionsJSON = { dense: number[][][] } | { sparse: { next: number[]; prob: number[] }[][] };

/**
 * A problem as JSON (data/README.md documents every field). Tables are nested for readability:
 * `rewards[i][s][a]`, `transitions.dense[s][a][s']` or `transitions.sparse[s][a] = { next, prob }`.
 */
export interface ProblemJSON {
  format: typeof PROBLEM_FORMAT;
  name: string;
  S: number;
  A: number;
  gamma: number;
  rho: number[];
  /** The shared P; absent when `agentTransitions` is given. */
  transitions?: TransitionsJSON;
  /** One P_i per agent, instead of `transitions`. */
  agentTransitions?: TransitionsJSON[];
  rewards: number[][][];
  agentNames?: string[];
  stateNames?: string[];
  actionNames?: string[];
  meta?: Record<string, unknown>;
  /** Ground-truth groups (garnet's rewardClusters): agent i's cluster, labels 0..K−1 each used. */
  clusterOf?: number[];
}

function nested(field: string, value: unknown, length: number): unknown[] {
  if (!Array.isArray(value)) fail(field, value, `must be an array of length ${length}, got ${formatValue(value)}`);
  if (value.length !== length) fail(field, value, `has length ${value.length}, expected ${length}`);
  return value;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** One transition model from its JSON form `{ dense: [s][a][s'] }` or `{ sparse: [s][a] = { next, prob } }`. */
function parseTransitions(field: string, t: unknown, S: number, A: number): TransitionsSpec {
  if (!isObject(t)) fail(field, t, 'must be an object with "dense" or "sparse"');
  checkKnownKeys(field, t, ['dense', 'sparse'], 'transitions');
  if ('dense' in t && 'sparse' in t) fail(field, t, 'has both "dense" and "sparse": give one');
  if ('dense' in t) {
    const dense: number[] = [];
    nested(`${field}.dense`, t.dense, S).forEach((row, s) =>
      nested(`${field}.dense[${s}]`, row, A).forEach((p, a) => dense.push(...(nested(`${field}.dense[${s}][${a}]`, p, S) as number[]))),
    );
    return { dense };
  }
  if ('sparse' in t) {
    const rows: SparseRow[] = [];
    nested(`${field}.sparse`, t.sparse, S).forEach((row, s) =>
      nested(`${field}.sparse[${s}]`, row, A).forEach((entry, a) => {
        if (!isObject(entry) || !Array.isArray(entry.next) || !Array.isArray(entry.prob)) {
          fail(`${field}.sparse[${s}][${a}]`, entry, 'must be an object { next: [...], prob: [...] }');
        }
        checkKnownKeys(`${field}.sparse[${s}][${a}]`, entry, ['next', 'prob'], 'a sparse transition row');
        rows.push({ next: entry.next as number[], prob: entry.prob as number[] });
      }),
    );
    return { rows };
  }
  return fail(field, t, 'must have "dense" or "sparse"');
}

/** Parse and validate a problem from its JSON object; errors name the field (and `source`, when given). */
export function problemFromJSON(json: unknown, source?: string): FederatedProblem {
  try {
    if (!isObject(json)) fail('problem', json, 'must be a JSON object');
    checkKnownKeys('', json, Object.keys(PROBLEM_FILE_SCHEMA), 'a problem file');
    if (json.format !== PROBLEM_FORMAT) fail('format', json.format, `must be "${PROBLEM_FORMAT}", got ${formatValue(json.format)}`);
    const S = json.S as number;
    const A = json.A as number;
    if (typeof S !== 'number' || !Number.isInteger(S) || S < 1) fail('S', S, `must be an integer ≥ 1, got ${formatValue(S)}`);
    if (typeof A !== 'number' || !Number.isInteger(A) || A < 1) fail('A', A, `must be an integer ≥ 1, got ${formatValue(A)}`);
    let transitions: TransitionsSpec | undefined;
    let agentTransitions: TransitionsSpec[] | undefined;
    if (json.agentTransitions !== undefined) {
      if ('transitions' in json) fail('transitions', json.transitions, 'and agentTransitions are both given: give the shared P or one P_i per agent, not both');
      if (!Array.isArray(json.agentTransitions)) fail('agentTransitions', json.agentTransitions, `must be an array of transition models (one per agent), got ${formatValue(json.agentTransitions)}`);
      agentTransitions = json.agentTransitions.map((t, i) => parseTransitions(`agentTransitions[${i}]`, t, S, A));
    } else transitions = parseTransitions('transitions', json.transitions, S, A);
    if (!Array.isArray(json.rewards)) fail('rewards', json.rewards, `must be an array (one table per agent), got ${formatValue(json.rewards)}`);
    const rewards = json.rewards.map((table, i) => {
      const flat: unknown[] = [];
      nested(`rewards[${i}]`, table, S).forEach((row, s) => flat.push(...nested(`rewards[${i}][${s}]`, row, A)));
      return flat as number[];
    });
    // Optional fields of the wrong type are refused, not dropped or replaced.
    if (json.name !== undefined && (typeof json.name !== 'string' || json.name === '')) fail('name', json.name, `must be a non-empty string, got ${formatValue(json.name)}`);
    if (json.meta !== undefined && !isObject(json.meta)) fail('meta', json.meta, `must be an object, got ${formatValue(json.meta)}`);
    return createProblem({
      name: typeof json.name === 'string' ? json.name : source ?? 'problem',
      S,
      A,
      gamma: json.gamma as number,
      rho: json.rho as number[],
      ...(agentTransitions ? { agentTransitions } : { transitions }),
      rewards,
      agentNames: json.agentNames as string[] | undefined,
      stateNames: json.stateNames as string[] | undefined,
      actionNames: json.actionNames as string[] | undefined,
      meta: isObject(json.meta) ? json.meta : undefined,
      ...(json.clusterOf !== undefined ? { clusterOf: json.clusterOf as number[] } : {}),
    });
  } catch (e) {
    if (e instanceof ValidationError && source) throw new ValidationError(e.field, e.value, `${source}: ${e.message}`);
    throw e;
  }
}

/** The JSON form of a problem; transitions are written sparse unless `dense` is asked for. */
export function problemToJSON(problem: FederatedProblem, { dense = false } = {}): ProblemJSON {
  const { S, A } = problem;
  const table = (flat: Float64Array): number[][] => Array.from({ length: S }, (_, s) => Array.from(flat.subarray(s * A, s * A + A)));
  const kernel = (P: Transitions): TransitionsJSON => {
    const rows = (r: number) => ({ next: Array.from(P.next.subarray(P.rowStart[r], P.rowStart[r + 1])), prob: Array.from(P.prob.subarray(P.rowStart[r], P.rowStart[r + 1])) });
    return dense
      ? {
          dense: Array.from({ length: S }, (_, s) =>
            Array.from({ length: A }, (_, a) => {
              const out = new Array<number>(S).fill(0);
              const { next, prob } = rows(s * A + a);
              next.forEach((sp, j) => (out[sp] += prob[j]));
              return out;
            }),
          ),
        }
      : { sparse: Array.from({ length: S }, (_, s) => Array.from({ length: A }, (_, a) => rows(s * A + a))) };
  };
  return {
    format: PROBLEM_FORMAT,
    name: problem.name,
    S,
    A,
    gamma: problem.gamma,
    rho: Array.from(problem.rho),
    ...(problem.agentTransitions ? { agentTransitions: problem.agentTransitions.map(kernel) } : { transitions: kernel(problem.transitions) }),
    rewards: problem.rewards.map(table),
    agentNames: [...problem.agentNames],
    ...(problem.stateNames ? { stateNames: [...problem.stateNames] } : {}),
    ...(problem.actionNames ? { actionNames: [...problem.actionNames] } : {}),
    ...(problem.meta ? { meta: { ...problem.meta } } : {}),
    ...(problem.clusterOf ? { clusterOf: [...problem.clusterOf] } : {}),
  };
}
