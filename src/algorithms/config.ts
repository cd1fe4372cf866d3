import { parameterDimension } from '../policy/softmax';
import { fail, formatValue } from '../core/check';
import { resolveLimits } from '../core/limits';
import { type Limits, ORACLE_SCHEMAS, RUN_SCHEMA, STEP_SIZE_SCHEMAS } from '../core/parameters';
import type { Detail, OracleConfig, ResolvedConfig, StepSizeSchedule } from './settings';
import { checkField, fieldPath, isPlainObject, nearestName, type Schema, validateObject } from '../core/schema';
import { checkEstimateSize } from '../estimators/estimateSize';
import type { FederatedProblem } from '../mdp/problem';
import { tabularStateSpace } from '../mdp/stateSpace';
import { checkPolicySpec, type PolicyClass, policyClass, type PolicyDescription, type PolicySpec } from '../policy/policyClass';
import type { Algorithm } from './algorithm';
import type { AlgorithmName } from './builtins/index';

export type { Detail, OracleConfig, ResolvedConfig, ResolvedOracle, StepSizeSchedule } from './settings';

/**
 * Everything that defines a run; saved with every result. Every field, its default and its range are
 * declared once in core/parameters.ts (RUN_SCHEMA); unknown keys are refused with a did-you-mean.
 */
export interface RunConfig {
  /** A registered algorithm's name, or an algorithm value made by defineAlgorithm. */
  algorithm: AlgorithmName | (string & {}) | Algorithm<any>;
  /** H ≥ 1: local steps per round (default 1). */
  localSteps?: number;
  /** η: a number (constant) or a schedule. */
  stepSize: number | StepSizeSchedule;
  /** α_g > 0: server step; 1 is plain averaging (default). */
  serverStep?: number;
  /** Default `{ kind: 'exact' }`. */
  oracle?: OracleConfig;
  /** τ ≥ 0: entropy-regularisation weight (default 0). */
  entropy?: number;
  seed: number | string;
  /** Evaluate J(θ̄), J_i(θ̄), the gap and ‖∇J(θ̄)‖ exactly every round (default true; switch off for large S). */
  metrics?: boolean;
  detail?: Detail;
  /** θ̄⁰ (default: zeros, the uniform policy), of the policy class's dimension d. */
  initialTheta?: ArrayLike<number>;
  /** The policy class: 'tabular' (default) or { kind: 'log-linear', features } (a spec, or a class from policyClass). */
  policy?: PolicySpec | PolicyClass<any> | NonNullable<PolicyDescription>;
  /** Raise the size limits (core/parameters.ts LIMITS_SCHEMA). */
  limits?: Partial<Limits>;
  /** The algorithm's own options (its `options` schema), as top-level keys: `reuseAnchor`, `beta`, `mixing`, … */
  [option: string]: unknown;
}

/** A step size: a positive number (constant) or a schedule object, validated by its kind's schema. */
export function checkStepSize(field: string, value: unknown): StepSizeSchedule {
  checkField(field, value, RUN_SCHEMA.stepSize);
  if (typeof value === 'number') return { kind: 'constant', eta: checkField(field, value, STEP_SIZE_SCHEMAS.constant.eta) as number };
  const s = value as Record<string, unknown>;
  const kind = checkField(fieldPath(field, 'kind'), s.kind, STEP_SIZE_SCHEMAS.constant.kind) as keyof typeof STEP_SIZE_SCHEMAS;
  return validateObject(field, s, STEP_SIZE_SCHEMAS[kind], `a '${kind}' step-size schedule`) as StepSizeSchedule;
}

/** A gradient oracle; keys of the sampled oracle on an exact one are refused, not dropped. */
export function checkOracle(field: string, value: unknown): ResolvedConfig['oracle'] {
  if (!isPlainObject(value)) fail(field, value, `must be { kind: 'exact' } or { kind: 'sampled', horizon, batch }, got ${formatValue(value)}`);
  const kind = checkField(fieldPath(field, 'kind'), value.kind, ORACLE_SCHEMAS.exact.kind) as 'exact' | 'sampled';
  if (kind === 'exact') {
    for (const key of Object.keys(value)) {
      if (key !== 'kind' && key in ORACLE_SCHEMAS.sampled) fail(fieldPath(field, key), value[key], `is given (${formatValue(value[key])}) but is a parameter of a sampled oracle only, and ${field}.kind is 'exact' (remove it, or use kind: 'sampled')`);
    }
  }
  return validateObject(field, value, ORACLE_SCHEMAS[kind], kind === 'exact' ? 'an exact oracle' : 'a sampled oracle') as ResolvedConfig['oracle'];
}

/** A value and everything it holds, frozen (a resolved config is read by rows, labels, plans and figures: none may change it). */
function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x as Record<string, unknown>)) deepFreeze(v);
  }
  return x;
}

/**
 * Resolve a run config for `algorithm`, strictly and once, without its problem: every field is checked
 * against RUN_SCHEMA (types, ranges, enumerations), unknown keys are refused with the nearest known key
 * suggested, and sizes beyond the limits are refused. The algorithm declares its own options (accepted as
 * top-level keys, resolved into `options`), the estimators it supports (another is refused by name) and its
 * batch per step (the M·K limit is checked on it); `extra` declares more keys, returned as top-level keys.
 * The result is frozen: everything downstream reads it and nothing fills a default again.
 */
export function resolveRunConfig(config: RunConfig, algorithm: Algorithm<any>, extra: Schema = {}): ResolvedConfig {
  if (!isPlainObject(config)) fail('config', config, `must be an object (a run config), got ${formatValue(config)}`);
  // A resolved config (run.config, a saved run state) is a valid run config: its `options` become top-level
  // keys again, and it writes the default θ̄⁰ as null.
  if (isPlainObject(config.options)) {
    const { options, ...rest } = config;
    config = { ...(options as Record<string, unknown>), ...rest } as RunConfig;
  }
  if (config.initialTheta === null) config = { ...config, initialTheta: undefined };
  const raw = validateObject('', config, { ...RUN_SCHEMA, ...algorithm.options, ...extra }, `a run config of ${algorithm.name}`);
  const oracle = checkOracle('oracle', raw.oracle);
  if (oracle.kind === 'sampled' && !algorithm.estimators.includes(oracle.estimator)) {
    fail('oracle.estimator', oracle.estimator, `is '${oracle.estimator}', which ${algorithm.name} does not support (it supports ${algorithm.estimators.map((e) => `'${e}'`).join(', ')})`);
  }
  const limits = resolveLimits('limits', raw.limits);
  const resolved: Record<string, unknown> = {
    algorithm: algorithm.name,
    localSteps: raw.localSteps as number,
    stepSize: checkStepSize('stepSize', raw.stepSize),
    serverStep: raw.serverStep as number,
    oracle,
    entropy: raw.entropy as number,
    seed: raw.seed as number | string,
    metrics: raw.metrics as boolean,
    detail: raw.detail as Detail,
    initialTheta: (raw.initialTheta as number[] | undefined) ?? null,
    options: Object.fromEntries(Object.keys(algorithm.options).map((k) => [k, raw[k]]).filter(([, v]) => v !== undefined)),
  };
  // Limits are kept only when given, so that configs and their hashes stay as they were; so is the policy
  // class when it is not the tabular softmax ('tabular' spelled out resolves as an omitted one).
  if (config.limits !== undefined) resolved.limits = limits;
  const policy = checkPolicySpec('policy', raw.policy);
  if (policy !== null) resolved.policy = policy;
  for (const key of Object.keys(extra)) resolved[key] = raw[key];
  if (oracle.kind === 'sampled') checkEstimateSize('oracle', oracle.horizon, algorithm.batchPerStep(resolved as unknown as ResolvedConfig), limits);
  // A copy is frozen, never the caller's objects (an option's value may be theirs).
  return deepFreeze(structuredClone(resolved) as unknown as ResolvedConfig);
}

/**
 * The policy class of a run on `problem`: `given` (the config's `policy` as the caller gave it: a spec or a
 * class, possibly holding a researcher's feature map) when present, else the resolved config's description.
 * A researcher's own feature map is not plain JSON: a resolved config (or a saved run state) that names one
 * needs the map again, as `given`.
 */
export function runPolicyClass(problem: FederatedProblem, config: ResolvedConfig, given?: unknown): PolicyClass<number> {
  const spec = given ?? config.policy ?? 'tabular';
  if (given === undefined && config.policy?.features.kind === 'custom') {
    fail('policy.features', config.policy.features, `is a researcher's feature map ('${config.policy.features.name}'), which a saved config cannot hold: pass it again (restoreRun(problem, state, algorithm, { policy }))`);
  }
  return policyClass(spec as PolicySpec, tabularStateSpace(problem));
}

/** Check a resolved config against its problem: N ≥ 1 and θ̄⁰ of length d (the policy class's dimension; `given` as for runPolicyClass). */
export function checkConfigFits(problem: FederatedProblem, config: ResolvedConfig, given?: unknown): void {
  if (problem.rewards.length === 0) fail('problem.rewards', problem.rewards, 'is empty: N must be ≥ 1');
  const size = config.policy || given !== undefined ? runPolicyClass(problem, config, given).dimension : parameterDimension(problem);
  const theta = config.initialTheta;
  if (theta !== null && theta.length !== size) fail('initialTheta', theta, `has length ${theta.length}, expected ${size} (d${config.policy ? '' : ' = S·A'}, the policy's parameter dimension)`);
}
