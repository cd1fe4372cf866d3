import { fail, formatValue } from '../core/check';
import { resolveLimits } from '../core/limits';
import { type Limits, ORACLE_SCHEMAS, RUN_SCHEMA, STEP_SIZE_SCHEMAS } from '../core/parameters';
import { checkField, fieldPath, isPlainObject, nearestName, type Schema, validateObject } from '../core/schema';
import type { EstimatorKind } from '../estimators/sampled';
import type { FederatedProblem } from '../mdp/problem';
import type { Algorithm } from './algorithm';
import { resolveAlgorithm } from './registry';

/** The built-in algorithms: Fast-FedPG and its baselines (docs/paper.md); more can be registered (algorithms/registry.ts). */
export const ALGORITHMS = ['fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'local-pg', 'scaffold'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Gradient oracle ĝ_i: exact (policy-gradient theorem) or sampled (truncated GPOMDP / REINFORCE). */
export type OracleConfig = { kind: 'exact' } | { kind: 'sampled'; horizon: number; batch: number; estimator?: EstimatorKind };

/** Local step size η_t as a function of the round t (algorithms/schedules.ts). */
export type StepSizeSchedule =
  | { kind: 'constant'; eta: number }
  | { kind: 'decaying'; eta0: number; t0: number }
  | { kind: 'planned'; rounds: number; mu: number; etaMax: number; forAgents?: number }
  | { kind: 'planned-sqrt'; rounds: number; scale: number; etaMax: number; forAgents?: number };

/** How much of each round a trace keeps: O(N) numbers, per-agent vectors, or every gradient. */
export type Detail = 'summary' | 'agents' | 'full';

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
  /** Fast-FedPG: use the anchor sample as the gradient at ℓ = 0 (default false). */
  reuseAnchor?: boolean;
  /** Evaluate J(θ̄), J_i(θ̄), the gap and ‖∇J(θ̄)‖ exactly every round (default true; switch off for large S). */
  metrics?: boolean;
  detail?: Detail;
  /** θ̄⁰ (default: zeros, the uniform policy). */
  initialTheta?: ArrayLike<number>;
  /** Raise the size limits (core/parameters.ts LIMITS_SCHEMA). */
  limits?: Partial<Limits>;
  /** The algorithm's own options (its `options` schema), as top-level keys: `beta`, `mixing`, … */
  [option: string]: unknown;
}

/** A RunConfig with every default filled in, as JSON. */
export interface ResolvedConfig {
  /** The algorithm's name. */
  algorithm: string;
  localSteps: number;
  stepSize: StepSizeSchedule;
  serverStep: number;
  oracle: { kind: 'exact' } | { kind: 'sampled'; horizon: number; batch: number; estimator: EstimatorKind };
  entropy: number;
  seed: number | string;
  reuseAnchor: boolean;
  metrics: boolean;
  detail: Detail;
  initialTheta: number[] | null;
  limits?: Limits;
  /** The algorithm's options (its `options` schema), validated, defaults filled ({} for the built-ins). */
  options: Record<string, unknown>;
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

/** Refuse a sampled estimate whose M·K exceeds the limit, naming the fields and the cost. */
export function checkEstimateSize(field: string, horizon: number, batch: number, limits: Limits): void {
  const steps = horizon * batch;
  if (steps > limits.estimateSteps) {
    fail(field, { horizon, batch }, `asks for M·K = ${batch} × ${horizon} = ${steps.toExponential(2)} environment steps per gradient estimate, above the limit ${limits.estimateSteps.toExponential(2)} (limits.estimateSteps); raise it with limits: { estimateSteps: … } if you mean it`);
  }
}

/**
 * Validate a run config and fill the defaults, strictly, without its problem: every field is checked
 * against RUN_SCHEMA (types, ranges, enumerations), unknown keys are refused with the nearest known key
 * suggested, and sizes beyond the limits are refused. The algorithm (a registered name or a value) declares
 * its own options, accepted as top-level keys and resolved into `options`; `extra` declares more keys,
 * returned as top-level keys.
 * Experiment files use it to check every configuration when they are read, before any work.
 */
export function checkRunConfig(config: RunConfig, extra: Schema = {}): ResolvedConfig {
  if (!isPlainObject(config)) fail('config', config, `must be an object (a run config), got ${formatValue(config)}`);
  // A resolved config (run.config, a saved run state) is a valid run config: its `options` become top-level
  // keys again, and it writes the default θ̄⁰ as null.
  if (isPlainObject(config.options)) {
    const { options, ...rest } = config;
    config = { ...(options as Record<string, unknown>), ...rest } as RunConfig;
  }
  if (config.initialTheta === null) config = { ...config, initialTheta: undefined };
  if (config.algorithm === undefined) fail('algorithm', undefined, `is required (${RUN_SCHEMA.algorithm.doc})`);
  const alg = resolveAlgorithm('algorithm', config.algorithm);
  const raw = validateObject('', config, { ...RUN_SCHEMA, ...alg.options, ...extra }, `a run config of ${alg.name}`);
  const algorithm = alg.name;
  const oracle = checkOracle('oracle', raw.oracle);
  const limits = resolveLimits('limits', raw.limits);
  if (oracle.kind === 'sampled') {
    const perEstimate = algorithm === 'minibatch-pg' ? oracle.batch * (raw.localSteps as number) : oracle.batch;
    checkEstimateSize('oracle', oracle.horizon, perEstimate, limits);
  }
  const resolved: ResolvedConfig = {
    algorithm,
    localSteps: raw.localSteps as number,
    stepSize: checkStepSize('stepSize', raw.stepSize),
    serverStep: raw.serverStep as number,
    oracle,
    entropy: raw.entropy as number,
    seed: raw.seed as number | string,
    reuseAnchor: raw.reuseAnchor as boolean,
    metrics: raw.metrics as boolean,
    detail: raw.detail as Detail,
    initialTheta: (raw.initialTheta as number[] | undefined) ?? null,
    options: Object.fromEntries(Object.keys(alg.options).map((k) => [k, raw[k]]).filter(([, v]) => v !== undefined)),
  };
  // Limits are kept only when given, so that configs and their hashes stay as they were.
  if (config.limits !== undefined) resolved.limits = limits;
  for (const key of Object.keys(extra)) (resolved as unknown as Record<string, unknown>)[key] = raw[key];
  return resolved;
}

/** Validate a run config against its problem and fill the defaults (checkRunConfig, plus the sizes that depend on the problem). */
export function resolveConfig(problem: FederatedProblem, config: RunConfig, extra: Schema = {}): ResolvedConfig {
  if (problem.rewards.length === 0) fail('problem.rewards', problem.rewards, 'is empty: N must be ≥ 1');
  const resolved = checkRunConfig(config, extra);
  const size = problem.S * problem.A;
  const theta = resolved.initialTheta;
  if (theta !== null && theta.length !== size) fail('initialTheta', config.initialTheta, `has length ${theta.length}, expected ${size} (S·A)`);
  return resolved;
}
