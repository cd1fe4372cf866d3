import { checkInteger, fail, formatValue } from '../core/check';

/**
 * The non-zero entries of φ(s, a) ∈ R^d for every action a of one state s, as compressed rows: action a
 * owns the entries start[a] … start[a+1] − 1, entry e being φ(s, a)[index[e]] = value[e]. An index may
 * repeat within a row (the entries add up). Buffers are sized by the feature map's `capacity`.
 */
export interface FeatureRows {
  readonly index: Int32Array;
  readonly value: Float64Array;
  /** Length A + 1. */
  readonly start: Int32Array;
}

/**
 * A feature map φ: (state, action) → R^d of a log-linear policy π_θ(a|s) ∝ exp(θᵀφ(s, a)): a value, like
 * an algorithm. The built-in maps are in policy/featureMaps/ (one-hot, random, tile coding, radial basis,
 * a table S·A·d); `defineFeatures` makes a researcher's own from a function of the state.
 */
export interface FeatureMap<State = number> {
  readonly kind: 'fedpg-lab/features';
  /** 'one-hot', 'random', 'tile-coding', 'radial-basis', 'table', or a researcher's own name. */
  readonly name: string;
  /** d, the length of θ. */
  readonly dimension: number;
  /** A. */
  readonly actions: number;
  /** The most entries one state's rows can hold (Σ_a non-zeros of φ(s, a)). */
  readonly capacity: number;
  /** Plain JSON that identifies the map (its kind and options): recorded in run configs and result rows. */
  readonly description: Readonly<Record<string, unknown>>;
  /** True for one-hot features: Φ is the identity of R^{S·A} (logits and pulled-back gradients are copies). */
  readonly identity?: boolean;
  /** φ(s, a) for every a into `rows` (a pure function of s: the same state gives the same rows). */
  write(s: State, rows: FeatureRows): void;
}

/** Buffers for one state's rows of `features`. */
export function createFeatureRows(features: FeatureMap<any>): FeatureRows {
  return { index: new Int32Array(features.capacity), value: new Float64Array(features.capacity), start: new Int32Array(features.actions + 1) };
}

/** What `defineFeatures` takes: a name, d, A and φ(s, a) written densely into `out` (length d, zeroed before each call). */
export interface FeatureDefinition<State> {
  name: string;
  dimension: number;
  actions: number;
  /** φ(s, a) into `out` (length d, all zeros on entry). */
  features(s: State, a: number, out: Float64Array): void;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** Checks shared by every feature map: a name, d ≥ 1 and A ≥ 1. */
export function checkFeatureSizes(name: unknown, dimension: unknown, actions: unknown): { name: string; dimension: number; actions: number } {
  if (typeof name !== 'string' || !NAME.test(name)) fail('features.name', name, "must be lower-case letters, digits, '.', '_' or '-'");
  return { name, dimension: checkInteger('features.dimension', dimension, 1, 1e8), actions: checkInteger('features.actions', actions, 1, 1e6) };
}

/**
 * A researcher's own feature map from a function φ(s, a) written densely (a function of the state, so it
 * serves simulators whose states are not enumerable). Every value it writes is checked: a non-finite entry
 * is refused naming the map, the state, the action and the index (`features 'my-phi' at s=…, a=1: [3] is NaN`).
 * Zeros are skipped, so sparse maps stay cheap per step (the dense call costs O(d) per action).
 */
export function defineFeatures<State = number>(definition: FeatureDefinition<State>): FeatureMap<State> {
  if (definition == null || typeof definition !== 'object') fail('features', definition, 'must be an object { name, dimension, actions, features(s, a, out) }');
  const { name, dimension: d, actions: A } = checkFeatureSizes(definition.name, definition.dimension, definition.actions);
  if (typeof definition.features !== 'function') fail('features.features', definition.features, 'must be a function (s, a, out) => void writing φ(s, a) into out');
  const phi = definition.features;
  const dense = new Float64Array(d);
  return Object.freeze({
    kind: 'fedpg-lab/features' as const,
    name,
    dimension: d,
    actions: A,
    capacity: A * d,
    description: Object.freeze({ kind: 'custom', name, dimension: d }),
    write(s: State, rows: FeatureRows) {
      let e = 0;
      for (let a = 0; a < A; a++) {
        rows.start[a] = e;
        dense.fill(0);
        phi(s, a, dense);
        for (let k = 0; k < d; k++) {
          const x = dense[k];
          if (x === 0) continue;
          if (!Number.isFinite(x)) fail(`features '${name}' at s=${formatValue(s)}, a=${a}: [${k}]`, x, `is ${formatValue(x)}`);
          rows.index[e] = k;
          rows.value[e++] = x;
        }
      }
      rows.start[A] = e;
    },
  });
}

/** Whether `x` is a feature map (made by defineFeatures or a built-in). */
export function isFeatureMap(x: unknown): x is FeatureMap<unknown> {
  return x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'fedpg-lab/features';
}
