import { checkInteger, fail, formatValue } from '../core/check';
import { isPlainObject } from '../core/schema';

/**
 * Continuous coordinates x(s) ∈ R^k of a state, with the box [low, high] they are expected in: what tile
 * coding and radial basis features are built over (policy/featureMaps/). A grid's cells have (row, column);
 * a cart-pole's states (x, ẋ, ϑ, ϑ̇). Values outside the box are allowed (feature maps clamp them).
 */
export interface Coordinates<State> {
  readonly names: readonly string[];
  readonly low: readonly number[];
  readonly high: readonly number[];
  /** x(s) into `out` (length k = names.length). */
  of(s: State, out: Float64Array): void;
}

/**
 * What a policy class needs to know of the states it acts in: the number of actions A, the number of states
 * S when the states are the integers 0 … S−1 (tabular problems, and simulators whose states are indices),
 * and coordinates when they have them.
 */
export interface StateSpace<State> {
  readonly actions: number;
  /** S, when the states are 0 … S−1; absent for continuous states. */
  readonly states?: number;
  readonly coordinates?: Coordinates<State>;
}

/** Coordinates of a tabular problem as data: `values[s·k + j]` is coordinate j of state s (plain JSON in problem files). */
export interface CoordinateTable {
  readonly names: readonly string[];
  readonly low: readonly number[];
  readonly high: readonly number[];
  readonly values: Float64Array;
}

/** Validate a coordinate table for S states: k names, low < high per coordinate, S·k finite values (errors name the entry). */
export function checkCoordinateTable(field: string, value: unknown, S: number): CoordinateTable {
  if (!isPlainObject(value)) fail(field, value, `must be an object { names, low, high, values }, got ${formatValue(value)}`);
  const { names, low, high, values } = value as Record<string, unknown>;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) fail(`${field}.names`, names, 'must be a non-empty array of coordinate names');
  const k = names.length;
  const bound = (key: string, b: unknown): number[] => {
    if (!Array.isArray(b) || b.length !== k) fail(`${field}.${key}`, b, `must be ${k} numbers (one per coordinate), got ${formatValue(b)}`);
    b.forEach((x, j) => (typeof x === 'number' && Number.isFinite(x)) || fail(`${field}.${key}[${j}]`, x, `is ${formatValue(x)}`));
    return [...(b as number[])];
  };
  const lo = bound('low', low);
  const hi = bound('high', high);
  lo.forEach((l, j) => l < hi[j] || fail(`${field}.high[${j}]`, hi[j], `must be > low[${j}] = ${l}`));
  const v = values as ArrayLike<unknown>;
  if (v == null || typeof v !== 'object' || typeof v.length !== 'number') fail(`${field}.values`, values, `must be an array of S·k = ${S * k} numbers`);
  if (v.length !== S * k) fail(`${field}.values`, values, `has length ${v.length}, expected S·k = ${S}·${k} = ${S * k}`);
  const out = new Float64Array(S * k);
  for (let i = 0; i < S * k; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}.values[${i}]`, x, `is ${formatValue(x)} (s=${Math.floor(i / k)}, coordinate ${names[i % k]})`);
    out[i] = x;
  }
  return Object.freeze({ names: Object.freeze([...(names as string[])]), low: Object.freeze(lo), high: Object.freeze(hi), values: out });
}

/** The coordinates of states 0 … S−1 read from a table. */
export function tableCoordinates(table: CoordinateTable): Coordinates<number> {
  const k = table.names.length;
  return {
    names: table.names,
    low: table.low,
    high: table.high,
    of(s, out) {
      for (let j = 0; j < k; j++) out[j] = table.values[s * k + j];
    },
  };
}

/** The state space of a tabular problem or MDP: S states 0 … S−1, A actions, its coordinate table if it has one. */
export function tabularStateSpace(mdp: { readonly S: number; readonly A: number; readonly coordinates?: CoordinateTable }): StateSpace<number> {
  checkInteger('S', mdp.S, 1);
  return { actions: mdp.A, states: mdp.S, ...(mdp.coordinates ? { coordinates: tableCoordinates(mdp.coordinates) } : {}) };
}
