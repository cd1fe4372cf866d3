import { fail, formatValue } from '../core/check';
import { FEATURE_KINDS, FEATURE_SCHEMAS, POLICY_KINDS, POLICY_SCHEMAS } from '../core/parameters';
import { checkField, fieldPath, isPlainObject, validateObject } from '../core/schema';
import type { StateSpace } from '../mdp/stateSpace';
import { type FeatureMap, isFeatureMap } from './features';
import { featureTable, type FeatureTableOptions } from './featureMaps/featureTable';
import { oneHotFeatures } from './featureMaps/oneHot';
import { radialBasis } from './featureMaps/radialBasis';
import { randomFeatures } from './featureMaps/randomFeatures';
import { tileCoding } from './featureMaps/tileCoding';
import { logLinearPolicyAt } from './logLinear';
import type { Policy } from './policy';
import { parameterDimension, softmaxPolicyAt } from './softmax';

/** A feature map as JSON: its kind and options (core/parameters.ts FEATURE_SCHEMAS). */
export type FeatureSpec =
  | { kind: 'one-hot' }
  | { kind: 'random'; dimension: number; nonZeros?: number; seed?: number }
  | { kind: 'tile-coding'; tiles: number[]; tilings?: number }
  | { kind: 'radial-basis'; centres: number[]; width?: number }
  | ({ kind: 'table' } & FeatureTableOptions);

/**
 * What the `policy` option takes: `'tabular'` (the default: the softmax over θ ∈ R^{S·A}), or a log-linear
 * policy over features given as JSON (experiment files, saved configs) or as a value (`defineFeatures`).
 */
export type PolicySpec = 'tabular' | { kind: 'tabular' } | { readonly kind: 'log-linear'; readonly features: FeatureSpec | FeatureMap<any> | Readonly<Record<string, unknown>> };

/**
 * A policy class as plain JSON, as run configs, result rows and provenance record it: `null` for the tabular
 * softmax (configs that never mention a policy stay as they were), else the log-linear class with its
 * features' description (a researcher's own map is `{ kind: 'custom', name, dimension }`).
 */
export type PolicyDescription = { readonly kind: 'log-linear'; readonly features: Readonly<Record<string, unknown>> } | null;

/**
 * A policy class bound to a state space: θ's dimension d, and the policy π_θ at any θ (policy/policy.ts).
 * The tabular softmax has no features (d = S·A); a log-linear class has its feature map φ (d its
 * dimension). Made by `policyClass(spec, space)`; exact quantities, estimators and runs take it (or the spec).
 */
export interface PolicyClass<State = number> {
  readonly kind: 'fedpg-lab/policy-class';
  /** 'tabular' or 'log-linear'. */
  readonly name: (typeof POLICY_KINDS)[number];
  /** d, the length of θ. */
  readonly dimension: number;
  /** A. */
  readonly actions: number;
  /** S when the states are 0 … S−1. */
  readonly states?: number;
  /** φ of a log-linear class; null for the tabular softmax. */
  readonly features: FeatureMap<State> | null;
  readonly description: PolicyDescription;
  /** 'tabular', 'log-linear/one-hot', 'log-linear/tile-coding(tiles 9×9, tilings 3)', …: for legends and tables. */
  readonly label: string;
  /** π_θ as a Policy (θ of length d, not copied: keep it unchanged while the policy is used). */
  at(theta: ArrayLike<number>): Policy<State>;
}

/** Whether `x` is a bound policy class (made by policyClass). */
export function isPolicyClass(x: unknown): x is PolicyClass<unknown> {
  return x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'fedpg-lab/policy-class';
}

/** 'tabular' (or { kind: 'tabular' }) and absence mean the tabular softmax. */
function isTabularSpec(value: unknown): boolean {
  return value === undefined || value === 'tabular' || (isPlainObject(value) && value.kind === 'tabular' && Object.keys(value).length === 1);
}

/**
 * Check a policy spec without its state space (a run config is resolved before its problem is known):
 * the kind, the feature map's kind and options against FEATURE_SCHEMAS (unknown keys refused with a
 * did-you-mean), and return its description (null for the tabular softmax; defaults filled). Sizes that
 * need S, A or the coordinates (a table's shape, the number of tiles per coordinate) are checked by
 * `policyClass` against the space.
 */
export function checkPolicySpec(field: string, value: unknown): PolicyDescription {
  if (isPolicyClass(value)) return value.description;
  if (isTabularSpec(value)) return null;
  if (typeof value === 'string') fail(field, value, `must be 'tabular' or { kind: 'log-linear', features }, got ${formatValue(value)}`);
  if (!isPlainObject(value)) fail(field, value, `must be 'tabular' or an object { kind: 'log-linear', features }, got ${formatValue(value)}`);
  const kind = checkField(fieldPath(field, 'kind'), value.kind, POLICY_SCHEMAS.tabular.kind) as (typeof POLICY_KINDS)[number];
  const o = validateObject(field, value, POLICY_SCHEMAS[kind], `a '${kind}' policy`);
  if (kind === 'tabular') return null;
  return { kind: 'log-linear', features: featureDescription(fieldPath(field, 'features'), o.features) };
}

/** A feature spec's description (defaults filled), or a feature map value's. */
function featureDescription(field: string, value: unknown): Readonly<Record<string, unknown>> {
  if (isFeatureMap(value)) return value.description;
  // A researcher's map as a saved config describes it: kept as it is (binding it needs the map itself).
  if (isPlainObject(value) && value.kind === 'custom' && typeof value.name === 'string' && typeof value.dimension === 'number') return Object.freeze({ ...value });
  if (!isPlainObject(value)) fail(field, value, `must be a feature map: { kind: ${FEATURE_KINDS.map((k) => `'${k}'`).join(' | ')}, … } or a value made by defineFeatures, got ${formatValue(value)}`);
  const kind = checkField(fieldPath(field, 'kind'), value.kind, FEATURE_SCHEMAS['one-hot'].kind) as (typeof FEATURE_KINDS)[number];
  const o = validateObject(field, value, FEATURE_SCHEMAS[kind], `'${kind}' features`);
  if (kind === 'tile-coding' || kind === 'radial-basis') {
    const key = kind === 'tile-coding' ? 'tiles' : 'centres';
    const counts = o[key] as number[];
    if (counts.length === 0) fail(fieldPath(field, key), counts, 'must give a count for each coordinate of the states');
    counts.forEach((n, j) => (Number.isInteger(n) && n >= 1) || fail(`${fieldPath(field, key)}[${j}]`, n, `must be an integer ≥ 1, got ${formatValue(n)}`));
  }
  if (kind === 'random' && o.nonZeros === undefined) o.nonZeros = Math.min(o.dimension as number, 8);
  return Object.freeze(o);
}

/** The tabular softmax over S states and A actions as a policy class. */
export function tabularPolicyClass(S: number, A: number): PolicyClass<number> {
  return Object.freeze({
    kind: 'fedpg-lab/policy-class' as const,
    name: 'tabular' as const,
    dimension: parameterDimension({ S, A }),
    actions: A,
    states: S,
    features: null,
    description: null,
    label: 'tabular',
    at: (theta: ArrayLike<number>) => softmaxPolicyAt(theta, S, A),
  });
}

/** The log-linear class over a feature map. */
export function logLinearPolicyClass<State>(features: FeatureMap<State>, states?: number): PolicyClass<State> {
  return Object.freeze({
    kind: 'fedpg-lab/policy-class' as const,
    name: 'log-linear' as const,
    dimension: features.dimension,
    actions: features.actions,
    ...(states !== undefined ? { states } : {}),
    features,
    description: { kind: 'log-linear' as const, features: features.description },
    label: `log-linear/${featureLabel(features.description)}`,
    at: (theta: ArrayLike<number>) => logLinearPolicyAt(features, theta),
  });
}

/** 'one-hot', 'random(d 64, m 8, seed 0)', 'tile-coding(tiles 9×9, tilings 3)', 'radial-basis(centres 10×10, σ 1)', 'table(d 12)', 'my-phi(d 12)'. */
function featureLabel(f: Readonly<Record<string, unknown>>): string {
  switch (f.kind) {
    case 'one-hot':
      return 'one-hot';
    case 'random':
      return `random(d ${f.dimension}, m ${f.nonZeros}, seed ${f.seed})`;
    case 'tile-coding':
      return `tile-coding(tiles ${(f.tiles as number[]).join('×')}, tilings ${f.tilings})`;
    case 'radial-basis':
      return `radial-basis(centres ${(f.centres as number[]).join('×')}, σ ${f.width})`;
    case 'table':
      return `table(d ${f.dimension})`;
    default:
      return `${f.name}(d ${f.dimension})`;
  }
}

/** The label of a policy description (result rows and legends): 'tabular' for null. */
export function policyLabel(description: PolicyDescription): string {
  return description === null ? 'tabular' : `log-linear/${featureLabel(description.features)}`;
}

/**
 * Bind a policy spec (or a policy class, checked against the space) to a state space: the tabular softmax
 * needs S (states 0 … S−1); one-hot, random and table features need integer states (one-hot and tables S
 * of them); tile coding and radial basis need the space's coordinates, one count per coordinate. A feature
 * map value must have the space's A. Errors name the field (`policy.features.tiles`, …).
 */
export function policyClass<State = number>(spec: PolicySpec | PolicyClass<State> | undefined, space: StateSpace<State>, field = 'policy'): PolicyClass<State> {
  const A = space.actions;
  const S = space.states;
  if (isPolicyClass(spec)) {
    if (spec.actions !== A) fail(fieldPath(field, 'actions'), spec.actions, `is ${spec.actions}, but the problem has A = ${A} actions`);
    if (spec.states !== undefined && spec.states !== S) fail(fieldPath(field, 'states'), spec.states, `is ${spec.states}, but the problem has ${S === undefined ? 'continuous states' : `S = ${S} states`}`);
    return spec as PolicyClass<State>;
  }
  const description = checkPolicySpec(field, spec);
  const needStates = (what: string): number => S ?? fail(field, spec, `${what} needs states 0 … S−1, but the problem's states are not enumerable: use tile coding or radial basis features over its coordinates, or your own (defineFeatures)`);
  if (description === null) return tabularPolicyClass(needStates('the tabular softmax'), A) as unknown as PolicyClass<State>;
  const featuresField = fieldPath(field, 'features');
  const given = (spec as { features: unknown }).features;
  if (isFeatureMap(given)) {
    if (given.actions !== A) fail(fieldPath(featuresField, 'actions'), given.actions, `is ${given.actions}, but the problem has A = ${A} actions`);
    return logLinearPolicyClass(given as FeatureMap<State>, S);
  }
  const f = description.features;
  const coordinates = () => space.coordinates ?? fail(featuresField, f.kind, `'${f.kind}' features are built over the states' coordinates, and this problem has none (the gridworld generators and the simulators give theirs; see docs/policies.md)`);
  switch (f.kind) {
    case 'one-hot':
      return logLinearPolicyClass(oneHotFeatures(needStates('one-hot features'), A) as unknown as FeatureMap<State>, S);
    case 'random':
      needStates('random features');
      return logLinearPolicyClass(randomFeatures(f as { dimension: number }, A, featuresField) as unknown as FeatureMap<State>, S);
    case 'table':
      return logLinearPolicyClass(featureTable(given as FeatureTableOptions, needStates('a feature table'), A, featuresField) as unknown as FeatureMap<State>, S);
    case 'tile-coding':
      return logLinearPolicyClass(tileCoding(f as { tiles: number[] }, coordinates(), A, featuresField), S);
    case 'radial-basis':
      return logLinearPolicyClass(radialBasis(f as { centres: number[] }, coordinates(), A, featuresField), S);
    default:
      return fail(featuresField, f, `describes a researcher's feature map ('${String(f.name)}'), not the map itself: pass the value made by defineFeatures`);
  }
}
