import { checkInteger, checkNonNegative, checkOneOf, checkPositive, checkVector, fail, formatValue } from '../core/check';
import type { EstimatorKind } from '../estimators/sampled';
import type { FederatedProblem } from '../mdp/problem';

/** The built-in algorithms: Fast-FedPG and its baselines (docs/paper.md). */
export const ALGORITHMS = ['fast-fedpg', 'fedavg-pg', 'minibatch-pg', 'local-pg', 'scaffold'] as const;
export type AlgorithmName = (typeof ALGORITHMS)[number];

/** Gradient oracle ĝ_i: exact (policy-gradient theorem) or sampled (truncated GPOMDP / REINFORCE). */
export type OracleConfig = { kind: 'exact' } | { kind: 'sampled'; horizon: number; batch: number; estimator?: EstimatorKind };

/** Local step size η_t as a function of the round t (algorithms/schedules.ts). */
export type StepSizeSchedule =
  | { kind: 'constant'; eta: number }
  | { kind: 'decaying'; eta0: number; t0: number }
  | { kind: 'planned'; rounds: number; mu: number; etaMax: number }
  | { kind: 'planned-sqrt'; rounds: number; scale: number; etaMax: number };

/** How much of each round a trace keeps: O(N) numbers, per-agent vectors, or every gradient. */
export type Detail = 'summary' | 'agents' | 'full';

/** Everything that defines a run; saved with every result. */
export interface RunConfig {
  algorithm: AlgorithmName;
  /** H ≥ 1: local steps per round. */
  localSteps: number;
  /** η: a number (constant) or a schedule. */
  stepSize: number | StepSizeSchedule;
  /** α_g > 0: server step; 1 is plain averaging (default). */
  serverStep?: number;
  oracle: OracleConfig;
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
}

/** A RunConfig with every default filled in, as JSON. */
export interface ResolvedConfig {
  algorithm: AlgorithmName;
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
}

function checkSchedule(value: unknown): StepSizeSchedule {
  if (typeof value === 'number') return { kind: 'constant', eta: checkPositive('stepSize', value) };
  if (value == null || typeof value !== 'object') fail('stepSize', value, `must be a number or a schedule object, got ${formatValue(value)}`);
  const s = value as Record<string, unknown>;
  const kind = checkOneOf('stepSize.kind', s.kind, ['constant', 'decaying', 'planned', 'planned-sqrt'] as const);
  if (kind === 'constant') return { kind, eta: checkPositive('stepSize.eta', s.eta) };
  if (kind === 'decaying') return { kind, eta0: checkPositive('stepSize.eta0', s.eta0), t0: checkPositive('stepSize.t0', s.t0) };
  if (kind === 'planned-sqrt') return { kind, rounds: checkInteger('stepSize.rounds', s.rounds, 1), scale: checkPositive('stepSize.scale', s.scale), etaMax: checkPositive('stepSize.etaMax', s.etaMax) };
  return { kind, rounds: checkInteger('stepSize.rounds', s.rounds, 1), mu: checkPositive('stepSize.mu', s.mu), etaMax: checkPositive('stepSize.etaMax', s.etaMax) };
}

function checkOracle(value: unknown): ResolvedConfig['oracle'] {
  if (value == null || typeof value !== 'object') fail('oracle', value, `must be { kind: 'exact' } or { kind: 'sampled', horizon, batch }, got ${formatValue(value)}`);
  const o = value as Record<string, unknown>;
  const kind = checkOneOf('oracle.kind', o.kind, ['exact', 'sampled'] as const);
  if (kind === 'exact') return { kind };
  return {
    kind,
    horizon: checkInteger('oracle.horizon', o.horizon, 1),
    batch: checkInteger('oracle.batch', o.batch, 1),
    estimator: checkOneOf('oracle.estimator', o.estimator ?? 'gpomdp', ['gpomdp', 'reinforce'] as const),
  };
}

/** Validate a run config against its problem and fill the defaults; errors name the field. */
export function resolveConfig(problem: FederatedProblem, config: RunConfig): ResolvedConfig {
  if (config == null || typeof config !== 'object') fail('config', config, 'must be an object');
  if (problem.rewards.length === 0) fail('problem.rewards', problem.rewards, 'is empty: N must be ≥ 1');
  const seed = config.seed;
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) fail('seed', seed, `must be an integer or a string, got ${formatValue(seed)}`);
  return {
    algorithm: checkOneOf('algorithm', config.algorithm, ALGORITHMS),
    localSteps: checkInteger('localSteps', config.localSteps, 1),
    stepSize: checkSchedule(config.stepSize),
    serverStep: checkPositive('serverStep', config.serverStep ?? 1),
    oracle: checkOracle(config.oracle),
    entropy: checkNonNegative('entropy', config.entropy ?? 0),
    seed,
    reuseAnchor: config.reuseAnchor ?? false,
    metrics: config.metrics ?? true,
    detail: checkOneOf('detail', config.detail ?? 'summary', ['summary', 'agents', 'full'] as const),
    initialTheta: config.initialTheta == null ? null : Array.from(checkVector('initialTheta', config.initialTheta, problem.S * problem.A)),
  };
}
