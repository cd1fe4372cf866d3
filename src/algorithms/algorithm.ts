import { fail } from '../core/check';
import { definitionCode } from './codeIdentity';
import { checkDefinition } from './declaration';
import { ESTIMATOR_KINDS } from '../core/parameters';
import type { Rng } from '../core/rng';
import type { Schema } from '../core/schema';
import type { PolicyEvaluation } from '../mdp/evaluate';
import type { EstimatorKind } from '../estimators/sampled';
import type { PolicyClass } from '../policy/policyClass';
import type { Detail, ResolvedConfig } from './settings';

/** Agent i's gradient oracle ĝ_i(θ): writes into `out`, returns the environment steps it used. */
export type Oracle = (theta: Float64Array, rng: Rng, out: Float64Array) => number;

/** One agent's part of a round (for traces). */
export interface AgentRound {
  /** θ_{i,H}. */
  thetaLocal: Float64Array;
  /** ‖θ_{i,ℓ} − θ_{i,0}‖₂ for ℓ = 1..H. */
  drift: Float64Array;
  /** The gradient estimate of every step ℓ = 0..H−1 (detail 'full' only; see LocalStep.record). */
  gradients: Float64Array[] | null;
  /** The correction added to every local gradient (c̄ − c_i, or c − c_i for SCAFFOLD); null when none. */
  correction: Float64Array | null;
  /** Anchor gradient c_i = ĝ_i(θ̄) (fast-fedpg). */
  anchor: Float64Array | null;
  /** Environment steps the local phase used. */
  envSteps: number;
}

/** What an algorithm's `init` sees: the problem's sizes and the run's settings (no internals). */
export interface AlgorithmSetup {
  /** N. */
  readonly agents: number;
  readonly S: number;
  readonly A: number;
  /** d, parameters per policy: S·A for the tabular softmax (row-major θ[s·A + a]; policy/softmax.ts, parameterDimension), the feature dimension for a log-linear class. */
  readonly size: number;
  /** The run's policy class (policy/policyClass.ts): `name` 'tabular' or 'log-linear', its features, `at(θ)`. */
  readonly policy: PolicyClass<any>;
  /** γ. */
  readonly gamma: number;
  /** H. */
  readonly localSteps: number;
  /** α_g. */
  readonly serverStep: number;
  /** τ ≥ 0. */
  readonly entropy: number;
  /** The gradient oracle's configuration: exact, or sampled with horizon K, batch M and the estimator. */
  readonly oracleConfig: ResolvedConfig['oracle'];
  /** Trajectories per gradient estimate of a local step: the algorithm's `batchPerStep` (M unless it says otherwise; 0 with the exact oracle). */
  readonly batchPerStep: number;
  readonly detail: Detail;
  /** θ̄⁰ (the run's initialTheta, or zeros: the uniform policy). */
  readonly initialTheta: Float64Array;
  /** The algorithm's own options, validated against its `options` schema, defaults filled. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The step size η as configured: a constant, or the schedule object (η_t itself is `ctx.stepSize`). */
  readonly stepSizeSchedule: ResolvedConfig['stepSize'];
}

/** Environment steps, vectors communicated and synchronisations to add to the run's counters. */
export interface Communication {
  envSteps?: number;
  messages?: number;
  syncs?: number;
}

/**
 * What every round is given: the setup, η_t (computed once per round by the loop), gradient oracles on
 * named random streams, exact evaluation, and the run's counters.
 */
export interface RoundContext extends AlgorithmSetup {
  /** 0-based index t of the round being run (θ̄ᵗ → θ̄ᵗ⁺¹). */
  readonly round: number;
  /** η_t. */
  readonly stepSize: number;
  /**
   * Stream of agent i for a purpose: `seed/run/round:t/agent:i/<label>`. The built-ins use the labels
   * 'anchor' and 'step:ℓ'; an algorithm may use its own labels (the stream depends only on the key).
   */
  stream(agent: number, label: string): Rng;
  /** Agent i's oracle ĝ_i (batch M of the config unless `batch` is given; ignored by the exact oracle). It does not count env steps. */
  oracle(agent: number, batch?: number): Oracle;
  /** ĝ_i(θ) into `out` on the stream `label`, adding its environment steps to the round's count. */
  gradient(agent: number, theta: Float64Array, label: string, out: Float64Array, batch?: number): Float64Array;
  /**
   * On one batch of trajectories sampled at θ on stream `label`: ĝ_i(θ) into `out` and the
   * importance-weighted w·ĝ_i(θ') into `outPrevious`, w = Π_t π_θ'(a_t|s_t)/π_θ(a_t|s_t) per trajectory
   * (an unbiased estimate of ∇J_{i,K}(θ')). With the exact oracle both are exact gradients (w = 1).
   * Counts the environment steps and returns their number.
   */
  weightedGradients(agent: number, theta: Float64Array, thetaPrevious: Float64Array, label: string, out: Float64Array, outPrevious: Float64Array): number;
  /** Exact evaluation (V_τ, Q_τ, d_ρ, J; tables over state–action pairs) of π_θ on agent i's MDP with the run's τ and policy class: for exact-oracle algorithms. */
  evaluate(agent: number, theta: ArrayLike<number>): PolicyEvaluation;
  /**
   * Agent i's estimate of J_i(θ): with the exact oracle the exact J_i (regularised by τ); with the sampled
   * oracle the mean truncated return (1/M) Σ_m Σ_{t<K} γ^t (R_i(s_t,a_t) − τ log π(a_t|s_t)) of M
   * trajectories (M of the config unless `batch` is given) drawn from stream `label`, an unbiased estimate of
   * J_{i,K}(θ). Counts the environment steps. For model selection (ifca).
   */
  estimateValue(agent: number, theta: Float64Array, label: string, batch?: number): number;
  /** Add to the run's environment-step, message and synchronisation counters. */
  count(c: Communication): void;
}

/** What a round returns: the new state and, optionally, per-agent details for traces. */
export interface RoundResult<S> {
  state: S;
  /** One entry per agent (drift, θ_{i,H}, corrections, anchors) when the algorithm has local phases. */
  agents?: AgentRound[];
  /** A server vector worth tracing (c̄ of Fast-FedPG, c of SCAFFOLD). */
  anchorMean?: Float64Array | null;
  /** Clustered algorithms (ifca): the model index each agent used this round; copied into the trace. */
  assignment?: readonly number[] | null;
}

/** What `defineAlgorithm` takes. */
export interface AlgorithmDefinition<S> {
  /** The name runs, results and experiment files use ('fast-fedpg', 'my-method'). */
  name: string;
  /** One line: what it does, with the reference. */
  description: string;
  /** Options given as top-level run-config keys (`createRun(p, { algorithm, beta: 0.5, … })`). */
  options?: Schema;
  /** Check the setup (e.g. "needs the exact oracle"); throw a ValidationError naming the field. */
  validate?(setup: AlgorithmSetup): void;
  /**
   * Trajectories per gradient estimate of a local step, from the resolved config (default M). The context's
   * oracles use it, and the M·K size limit is checked with it when the config is resolved (minibatch-pg: H·M).
   */
  batchPerStep?(config: ResolvedConfig): number;
  /**
   * Gradient estimates (or exact evaluations) per agent per round, each of `batchPerStep` trajectories: what a
   * sweep plans (environment steps, work per job). Default H + 1 (H local steps and an anchor: Fast-FedPG's).
   */
  stepsPerRound?(config: ResolvedConfig): number;
  /** The sampled estimators it supports (default: all); a config asking for another is refused by name. */
  estimators?: readonly EstimatorKind[];
  /** The state before round 1. Plain JSON, possibly with Float64Arrays (saved as number arrays). */
  init(setup: AlgorithmSetup): S;
  /** One communication round over explicit state (no hidden state). */
  round(ctx: RoundContext, state: S): RoundResult<S>;
  /** The server's policy parameters θ̄, at which the metrics are evaluated (default: `state.thetaBar`). */
  thetaBar?(state: S): Float64Array;
  /**
   * Personalised algorithms (local-pg): each agent's own θ_i. When present, per-agent metrics are J_i(θ_i)
   * and J_i* − J_i(θ_i) instead of J_i(θ̄).
   */
  agentTheta?(state: S): readonly Float64Array[] | null;
  /**
   * Refuse a restored state that this configuration cannot have produced (ifca: fewer models than clusters),
   * by throwing a ValidationError naming the field; `restoreRun` calls it on the decoded state.
   */
  checkState?(state: S, setup: AlgorithmSetup): void;
  /** Custom serialisation, when the state is not plain JSON with Float64Arrays. */
  toJSON?(state: S): unknown;
  fromJSON?(json: unknown, setup: AlgorithmSetup): S;
}

/** A federated algorithm: a value that `createRun`, sweeps and `registerAlgorithm` accept. */
export interface Algorithm<S = unknown, N extends string = string> extends Readonly<Required<Pick<AlgorithmDefinition<S>, 'description' | 'options' | 'init' | 'round' | 'thetaBar' | 'batchPerStep' | 'stepsPerRound' | 'estimators'>>> {
  readonly kind: 'fedpg-lab/algorithm';
  /**
   * `sha256:<hex>` of its definition's source: name, description, options, estimators and the text of every
   * function it gives (codeIdentity.ts). A saved run state records it (the package's own algorithms record
   * 'package', their code being the package revision's), so that a state is restored only by the same code.
   */
  readonly code: string;
  /** Its name (a literal type when the definition's name is one: the built-ins' names are derived from their values). */
  readonly name: N;
  readonly validate?: (setup: AlgorithmSetup) => void;
  readonly agentTheta?: (state: S) => readonly Float64Array[] | null;
  readonly checkState?: (state: S, setup: AlgorithmSetup) => void;
  readonly toJSON?: (state: S) => unknown;
  readonly fromJSON?: (json: unknown, setup: AlgorithmSetup) => S;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

function defaultThetaBar(state: unknown): Float64Array {
  const t = (state as { thetaBar?: unknown } | null)?.thetaBar;
  if (!(t instanceof Float64Array)) fail('thetaBar', t, 'is not a Float64Array in the state: give the algorithm a thetaBar(state) function');
  return t;
}

/** M with a sampled oracle (0 with the exact one). */
function defaultBatchPerStep(config: ResolvedConfig): number {
  return config.oracle.kind === 'sampled' ? config.oracle.batch : 0;
}

/** H local steps and one anchor per round (Fast-FedPG's count; an upper bound for most methods). */
function defaultStepsPerRound(config: ResolvedConfig): number {
  return config.localSteps + 1;
}

/**
 * Make an algorithm value. The name is lower-case letters, digits, '.', '_' or '-'; options follow the
 * field-descriptor schema (core/schema.ts).
 */
export function defineAlgorithm<S, N extends string = string>(definition: AlgorithmDefinition<S> & { name: N }): Algorithm<S, N> {
  if (definition == null || typeof definition !== 'object') fail('algorithm', definition, 'must be an object with name, description, init and round');
  if (typeof definition.name !== 'string' || !NAME.test(definition.name)) fail('algorithm.name', definition.name, "must be lower-case letters, digits, '.', '_' or '-'");
  if (typeof definition.description !== 'string') fail('algorithm.description', definition.description, 'must be a string');
  if (typeof definition.init !== 'function') fail('algorithm.init', definition.init, 'must be a function (setup) => state');
  if (typeof definition.round !== 'function') fail('algorithm.round', definition.round, 'must be a function (ctx, state) => { state }');
  if ((definition.toJSON === undefined) !== (definition.fromJSON === undefined)) fail('algorithm.fromJSON', definition.fromJSON, 'toJSON and fromJSON go together');
  checkDefinition(definition.name, definition as unknown as Record<string, unknown>);
  return Object.freeze({
    kind: 'fedpg-lab/algorithm' as const,
    code: definitionCode(definition as unknown as Record<string, unknown>),
    name: definition.name,
    description: definition.description,
    options: Object.freeze({ ...(definition.options ?? {}) }),
    init: definition.init,
    round: definition.round,
    thetaBar: definition.thetaBar ?? (defaultThetaBar as (s: S) => Float64Array),
    batchPerStep: definition.batchPerStep ?? defaultBatchPerStep,
    stepsPerRound: definition.stepsPerRound ?? defaultStepsPerRound,
    estimators: Object.freeze([...(definition.estimators ?? ESTIMATOR_KINDS)]),
    ...(definition.validate ? { validate: definition.validate } : {}),
    ...(definition.agentTheta ? { agentTheta: definition.agentTheta } : {}),
    ...(definition.checkState ? { checkState: definition.checkState } : {}),
    ...(definition.toJSON ? { toJSON: definition.toJSON, fromJSON: definition.fromJSON } : {}),
  });
}

/** Whether `x` was made by defineAlgorithm. */
export function isAlgorithm(x: unknown): x is Algorithm {
  return x !== null && typeof x === 'object' && (x as { kind?: unknown }).kind === 'fedpg-lab/algorithm';
}
