import type { FieldSpec, Schema } from './schema';

/**
 * Every parameter of fedpg-lab, declared once: runs, oracles, step-size schedules, problems and their
 * generators, experiments, size limits. Config resolution (algorithms/config.ts), the generators
 * (mdp/generators/), experiment files (experiments/spec.ts), the CLI, settings labels and result columns
 * read these tables; no other file declares a default. docs/parameters.md is generated from them
 * (`npm run docs:parameters`), so the documentation cannot drift from the code.
 */

/** Size limits: work or memory beyond these is refused before anything is allocated (raise them with `limits`). */
export const LIMITS_SCHEMA = {
  estimateSteps: { type: 'number', default: 1e9, min: 1, doc: 'most environment steps M·K one gradient estimate may take (≈ 30 s at 3·10⁷ steps/s)' },
  problemEntries: { type: 'number', default: 5e7, min: 1, doc: 'most table entries a generated problem may hold: S·A·b transitions + N·S·A rewards (≈ 1 GB with the alias tables)' },
  sweepSteps: { type: 'number', default: 1e12, min: 1, doc: 'most environment steps a sweep may plan in total, Σ over jobs of T·N·(H+1)·M·K (≈ 4 h on 2 cores)' },
  sweepJobs: { type: 'number', default: 1e5, min: 1, doc: 'most jobs (configurations × seeds) an experiment may have, checked before they are listed' },
} as const satisfies Schema;

/** The resolved size limits. */
export type Limits = { estimateSteps: number; problemEntries: number; sweepSteps: number; sweepJobs: number };

/** The sampled estimators of the gradient oracle (estimators/sampled.ts). */
export const ESTIMATOR_KINDS = ['gpomdp', 'reinforce'] as const;

/** The gradient oracle ĝ_i of a run config: `{ kind: 'exact' }` or `{ kind: 'sampled', horizon, batch, estimator }`. */
export const ORACLE_SCHEMAS = {
  exact: {
    kind: { type: 'enum', values: ['exact', 'sampled'], doc: "'exact' (policy-gradient theorem) or 'sampled' (truncated rollouts)" },
  },
  sampled: {
    kind: { type: 'enum', values: ['exact', 'sampled'], doc: "'exact' (policy-gradient theorem) or 'sampled' (truncated rollouts)" },
    horizon: { type: 'integer', min: 1, max: 1e7, symbol: 'K', doc: 'truncation horizon of a rollout' },
    batch: { type: 'integer', min: 1, max: 1e9, symbol: 'M', doc: 'trajectories per gradient estimate' },
    estimator: { type: 'enum', values: ESTIMATOR_KINDS, default: 'gpomdp', doc: 'GPOMDP (per-step score sums) or REINFORCE (whole-trajectory score)' },
  },
} as const satisfies Record<string, Schema>;

/** Step-size schedules η_t (algorithms/schedules.ts gives the formulas); a plain number is `constant`. */
export const STEP_SIZE_SCHEMAS = {
  constant: {
    kind: { type: 'enum', values: ['constant', 'decaying', 'planned', 'planned-sqrt'], doc: 'schedule kind' },
    eta: { type: 'number', min: 0, minExclusive: true, symbol: 'η', doc: 'constant local step size' },
  },
  decaying: {
    kind: { type: 'enum', values: ['constant', 'decaying', 'planned', 'planned-sqrt'], doc: 'schedule kind' },
    eta0: { type: 'number', min: 0, minExclusive: true, symbol: 'η₀', doc: 'η_t = η₀ / (1 + t/t₀)' },
    t0: { type: 'number', min: 0, minExclusive: true, symbol: 't₀', doc: 'rounds over which η halves' },
  },
  planned: {
    kind: { type: 'enum', values: ['constant', 'decaying', 'planned', 'planned-sqrt'], doc: 'schedule kind' },
    rounds: { type: 'integer', min: 1, symbol: 'T', doc: 'the horizon T the schedule is planned for (experiments: the run length)' },
    mu: { type: 'number', min: 0, minExclusive: true, symbol: 'μ', doc: 'η = min(η_max, ln(max(e, NHT))/(μHT)) (Theorem 1)' },
    etaMax: { type: 'number', min: 0, minExclusive: true, symbol: 'η_max', doc: 'cap on η' },
    forAgents: { type: 'integer', optional: true, min: 1, symbol: 'N_η', doc: "plan η as if N were this (the same η for every N: a fixed-step control that removes the schedule's dependence on N)" },
  },
  'planned-sqrt': {
    kind: { type: 'enum', values: ['constant', 'decaying', 'planned', 'planned-sqrt'], doc: 'schedule kind' },
    rounds: { type: 'integer', min: 1, symbol: 'T', doc: 'the horizon T the schedule is planned for (experiments: the run length)' },
    scale: { type: 'number', min: 0, minExclusive: true, symbol: 'c', doc: 'η = min(η_max, c·√(N/(HT))) (Theorem 2)' },
    etaMax: { type: 'number', min: 0, minExclusive: true, symbol: 'η_max', doc: 'cap on η' },
    forAgents: { type: 'integer', optional: true, min: 1, symbol: 'N_η', doc: "plan η as if N were this (the same η for every N: a fixed-step control that removes the schedule's dependence on N)" },
  },
} as const satisfies Record<string, Schema>;

/** The feature maps of a log-linear policy (policy/featureMaps/). */
export const FEATURE_KINDS = ['one-hot', 'random', 'tile-coding', 'radial-basis', 'table'] as const;

const FEATURE_KIND = { type: 'enum', values: FEATURE_KINDS, doc: "feature map φ(s, a): 'one-hot', 'random', 'tile-coding', 'radial-basis' or 'table'" } as const;

/** Feature maps φ(s, a) of a log-linear policy, by kind (policy/featureMaps/ gives the formulas). */
export const FEATURE_SCHEMAS = {
  'one-hot': { kind: FEATURE_KIND },
  random: {
    kind: FEATURE_KIND,
    dimension: { type: 'integer', min: 1, max: 1e8, symbol: 'd', doc: 'd, the number of features' },
    nonZeros: { type: 'integer', optional: true, min: 1, max: 1e4, symbol: 'm', doc: 'non-zero entries ±1/√m of each φ(s, a) (default min(d, 8))' },
    seed: { type: 'integer', default: 0, min: 0, max: 0xffffffff, doc: 'seed of the features (a hash of (seed, s, a, j): nothing stored)' },
  },
  'tile-coding': {
    kind: FEATURE_KIND,
    tiles: { type: 'vector', doc: "tiles along each coordinate of the states (a grid's row and column, a cart-pole's four)" },
    tilings: { type: 'integer', default: 1, min: 1, max: 64, symbol: 'T', doc: 'offset tilings; each state activates one tile per tiling' },
  },
  'radial-basis': {
    kind: FEATURE_KIND,
    centres: { type: 'vector', doc: 'Gaussian centres along each coordinate of the states, on the midpoints of a grid over their box' },
    width: { type: 'number', default: 1, min: 0, minExclusive: true, symbol: 'σ', doc: "the Gaussians' width in units of the centre spacing" },
  },
  table: {
    kind: FEATURE_KIND,
    dimension: { type: 'integer', min: 1, max: 1e8, symbol: 'd', doc: 'd, the number of features' },
    table: { type: 'any', doc: 'φ(s, a) for every state and action: S·A·d numbers, flat (table[(s·A + a)·d + k]) or nested table[s][a][k]' },
  },
} as const satisfies Record<string, Schema>;

/** Policy classes (policy/policyClass.ts). */
export const POLICY_KINDS = ['tabular', 'log-linear'] as const;

const POLICY_KIND = { type: 'enum', values: POLICY_KINDS, doc: "'tabular' (softmax over S·A parameters) or 'log-linear' (π_θ(a|s) ∝ exp θᵀφ(s, a))" } as const;

/** A policy class: `'tabular'` (the default) or `{ kind: 'log-linear', features }`. */
export const POLICY_SCHEMAS = {
  tabular: { kind: POLICY_KIND },
  'log-linear': {
    kind: POLICY_KIND,
    features: { type: 'any', doc: "the feature map: { kind: 'one-hot' | 'random' | 'tile-coding' | 'radial-basis' | 'table', … } (FEATURE_SCHEMAS) or a value made by defineFeatures" },
  },
} as const satisfies Record<string, Schema>;

/** A run config (createRun). Algorithms may declare further options of their own. */
export const RUN_SCHEMA = {
  algorithm: { type: 'any', doc: "a registered algorithm's name ('fast-fedpg', 'fedavg-pg', …) or an algorithm value" },
  localSteps: { type: 'integer', default: 1, min: 1, max: 1e6, symbol: 'H', doc: 'local steps per round' },
  stepSize: { type: 'stepSize', symbol: 'η', doc: 'local step size: a number (constant) or a schedule object' },
  serverStep: { type: 'number', default: 1, min: 0, minExclusive: true, symbol: 'α_g', doc: 'server step; 1 is plain averaging' },
  oracle: { type: 'object', default: { kind: 'exact' }, symbol: 'ĝ', doc: "gradient oracle: { kind: 'exact' } or { kind: 'sampled', horizon, batch, estimator }" },
  entropy: { type: 'number', default: 0, min: 0, symbol: 'τ', doc: 'entropy-regularisation weight (0: none)' },
  seed: { type: 'seed', doc: 'root of every random stream of the run' },
  metrics: { type: 'boolean', default: true, doc: 'evaluate J, J_i, the gap and ‖∇J‖ exactly every round (switch off for large S)' },
  detail: { type: 'enum', values: ['summary', 'agents', 'full'], default: 'summary', doc: "what a trace keeps: O(N) numbers, per-agent vectors, or every gradient" },
  initialTheta: { type: 'vector', optional: true, symbol: 'θ̄⁰', doc: "initial server parameters, of the policy class's dimension d (S·A for the tabular softmax; default: zeros, the uniform policy)" },
  policy: { type: 'any', optional: true, symbol: 'π_θ', doc: "policy class: 'tabular' (the default: softmax over θ ∈ R^{S·A}) or { kind: 'log-linear', features } (docs/policies.md)" },
  limits: { type: 'object', optional: true, doc: 'raise the size limits (estimateSteps, problemEntries, sweepSteps)' },
} as const satisfies Schema;

/** garnet(options): a sparse random P (shared, or one P_i per agent when κ > 0) and N reward tables. */
export const GARNET_SCHEMA = {
  states: { type: 'integer', min: 1, symbol: 'S', doc: 'number of states' },
  actions: { type: 'integer', min: 1, symbol: 'A', doc: 'number of actions' },
  branching: { type: 'integer', min: 1, symbol: 'b', doc: 'successors per (s, a), 1 ≤ b ≤ S' },
  agents: { type: 'integer', min: 1, symbol: 'N', doc: 'number of agents' },
  gamma: { type: 'number', min: 0, max: 1, maxExclusive: true, symbol: 'γ', doc: 'discount' },
  heterogeneity: { type: 'number', default: 1, min: 0, max: 1, symbol: 'h', doc: 'reward spread: 0 identical agents, 1 independent rewards' },
  transitionHeterogeneity: { type: 'number', default: 0, min: 0, max: 1, symbol: 'κ', doc: 'transition spread: P_j = (1−κ)P_c + κU_j for agents j ≥ 1, U_j on the complement of the successor sets (0: one shared P)' },
  rewardModel: { type: 'enum', values: ['mix', 'centered'], default: 'mix', doc: "'mix': R_i = (1−h)R₀ + hU_i; 'centered': R̄ = R₀ for every N" },
  rewardShift: { type: 'number', default: 0, doc: 'constant added to every reward (centres the per-step reward for sampled gradients)' },
  rewardClusters: { type: 'integer', optional: true, min: 1, doc: 'K reward clusters: K centres drawn as agents are at heterogeneity h, agent i in cluster i mod K (problem.clusterOf)' },
  clusterSpread: { type: 'number', default: 0, min: 0, max: 1, requires: { field: 'rewardClusters' }, doc: 'within-cluster spread: R_i = (1−s)C_{i mod K} + sW_i; 0 identical within a cluster (with rewardClusters)' },
  seed: { type: 'seed', doc: 'seed of the problem' },
  limits: { type: 'object', optional: true, doc: 'raise the size limits (problemEntries)' },
} as const satisfies Schema;

/** gridworld(options): multi-goal gridworld, one goal per agent. */
export const GRIDWORLD_SCHEMA = {
  width: { type: 'integer', min: 1, max: 1e4, doc: 'grid width' },
  height: { type: 'integer', min: 1, max: 1e4, doc: 'grid height' },
  goals: { type: 'any', doc: 'goal cell [row, column] of each agent; their number is N' },
  slip: { type: 'number', default: 0.1, min: 0, max: 1, doc: 'probability that a move goes in a uniformly random direction' },
  walls: { type: 'any', default: [], doc: 'wall cells [row, column]' },
  gamma: { type: 'number', min: 0, max: 1, maxExclusive: true, symbol: 'γ', doc: 'discount' },
  start: { type: 'any', optional: true, doc: 'start cell (default: ρ uniform over open cells)' },
  limits: { type: 'object', optional: true, doc: 'raise the size limits (problemEntries)' },
} as const satisfies Schema;

/** windyCliff(options): a cliff gridworld with one wind strength per agent (per-agent P_i). */
export const WINDY_CLIFF_SCHEMA = {
  width: { type: 'integer', min: 3, max: 1e4, doc: 'grid width X (the bottom row holds the start, X − 2 cliff cells and the goal)' },
  height: { type: 'integer', min: 2, max: 1e4, doc: 'grid height Y' },
  winds: { type: 'any', doc: 'wind strength θ_i ∈ [0, 1] of each agent; their number is N' },
  gamma: { type: 'number', min: 0, max: 1, maxExclusive: true, symbol: 'γ', doc: 'discount' },
  limits: { type: 'object', optional: true, doc: 'raise the size limits (problemEntries)' },
} as const satisfies Schema;

/** twoState(options): the 2-state toy with closed-form values. */
export const TWO_STATE_SCHEMA = {
  gamma: { type: 'number', min: 0, max: 1, maxExclusive: true, symbol: 'γ', doc: 'discount' },
  rewards: { type: 'any', optional: true, doc: 'reward tables [R(0,stay), R(0,switch), R(1,stay), R(1,switch)] per agent' },
  rho: { type: 'any', optional: true, symbol: 'ρ', doc: 'initial distribution (default [1, 0])' },
} as const satisfies Schema;

/** Where an experiment parameter goes: the problem, the run config, or what is recorded. */
export type ParameterKind = 'problem' | 'run' | 'record';

/** An experiment parameter: a field descriptor plus where it goes. */
export type ExperimentParameter = FieldSpec & { kind: ParameterKind };

const fromRun = (key: keyof typeof RUN_SCHEMA, extra: Partial<FieldSpec> = {}): ExperimentParameter => ({ ...RUN_SCHEMA[key], ...extra, kind: 'run' });
const fromGarnet = (key: keyof typeof GARNET_SCHEMA, extra: Partial<FieldSpec> = {}): ExperimentParameter => ({ ...GARNET_SCHEMA[key], ...extra, kind: 'problem' });

/**
 * The parameters an experiment can fix or sweep (flat: `oracle`, `horizon`, `batch`, `estimator` make the
 * oracle; the problem is a generator and its arguments, or `problemFile`). Defaults are those of the run
 * config and the generators above; a parameter with no default and not given is left to its consumer,
 * which refuses it if required.
 */
export const EXPERIMENT_PARAMETERS: Record<string, ExperimentParameter> = {
  generator: { type: 'enum', values: ['garnet', 'gridworld', 'two-state', 'windy-cliff'], default: 'garnet', kind: 'problem', doc: 'problem generator' },
  problemFile: { type: 'string', optional: true, kind: 'problem', doc: 'a problem JSON file, relative to the experiment file' },
  states: fromGarnet('states', { optional: true }),
  actions: fromGarnet('actions', { optional: true }),
  branching: fromGarnet('branching', { optional: true }),
  agents: { ...fromGarnet('agents'), optional: true, doc: 'N (garnet; gridworld uses the first N of its corner goals; windy-cliff: one wind per agent)' },
  gamma: fromGarnet('gamma', { optional: true }),
  heterogeneity: fromGarnet('heterogeneity'),
  transitionHeterogeneity: fromGarnet('transitionHeterogeneity'),
  rewardModel: fromGarnet('rewardModel'),
  rewardShift: fromGarnet('rewardShift'),
  rewardClusters: fromGarnet('rewardClusters'),
  clusterSpread: fromGarnet('clusterSpread'),
  problemSeed: { type: 'integer', optional: true, min: 0, kind: 'problem', doc: "seed of the generated problem (default: the job's seed, a new problem per seed)" },
  width: { ...GRIDWORLD_SCHEMA.width, optional: true, kind: 'problem' },
  height: { ...GRIDWORLD_SCHEMA.height, optional: true, kind: 'problem' },
  slip: { ...GRIDWORLD_SCHEMA.slip, kind: 'problem' },
  wind: { type: 'number', optional: true, min: 0, max: 1, kind: 'problem', doc: 'windy-cliff: the strongest wind; agent i blows at wind·i/(N−1) (agent 0 windless), so two agents differ by up to ‖P_i − P_j‖₁ = 2·wind/3' },
  algorithm: fromRun('algorithm', { type: 'string' }),
  localSteps: fromRun('localSteps'),
  stepSize: fromRun('stepSize'),
  serverStep: fromRun('serverStep'),
  oracle: { type: 'enum', values: ['exact', 'sampled'], default: 'exact', kind: 'run', symbol: 'ĝ', doc: 'gradient oracle' },
  horizon: { ...ORACLE_SCHEMAS.sampled.horizon, optional: true, kind: 'run' },
  batch: { ...ORACLE_SCHEMAS.sampled.batch, optional: true, kind: 'run' },
  estimator: { ...ORACLE_SCHEMAS.sampled.estimator, kind: 'run' },
  entropy: fromRun('entropy'),
  policy: { ...RUN_SCHEMA.policy, kind: 'run', doc: "policy class: { kind: 'log-linear', features: { kind, … } } (absent: the tabular softmax; rows carry it as JSON text)" },
  rounds: { type: 'integer', min: 1, max: 1e8, kind: 'record', symbol: 'T', doc: 'communication rounds' },
  every: { type: 'integer', default: 1, min: 1, kind: 'record', doc: 'record a result row every this many rounds (and the first and last)' },
};

/** The top level of an experiment file. */
export const EXPERIMENT_SCHEMA = {
  format: { type: 'string', doc: 'format tag "fedpg-lab/experiment@1"' },
  name: { type: 'string', doc: "letters, digits, '.', '_', '-'; names the results folder" },
  description: { type: 'string', optional: true, doc: 'what the experiment shows and which settings are ours' },
  kind: { type: 'enum', values: ['runs', 'identity'], doc: "'runs' (federated runs) or 'identity' (the averaged-MDP identity at random θ)" },
  parameters: { type: 'object', doc: 'fixed parameters' },
  grid: { type: 'any', optional: true, doc: 'parameters swept: { name: [values] }, or a list of such grids (their union)' },
  seeds: { type: 'any', doc: 'a count n (seeds 0…n−1) or a list of distinct integers' },
  budgets: { type: 'object', optional: true, doc: "named overrides ('ci', 'quick', 'full'): parameters, grid, seeds" },
  limits: { type: 'object', optional: true, doc: 'raise the size limits (estimateSteps, problemEntries, sweepSteps)' },
  algorithmModules: { type: 'any', optional: true, doc: "modules (paths relative to the experiment file) that register researchers' algorithms" },
} as const satisfies Schema;

/** One budget of an experiment file. */
export const BUDGET_SCHEMA = {
  parameters: { type: 'object', optional: true, doc: 'merged over the fixed parameters' },
  grid: { type: 'any', optional: true, doc: "replaces these keys' values in every grid that has them; or a list of such objects, one per grid of the spec, in order" },
  seeds: { type: 'any', optional: true, doc: 'replaces the seeds' },
} as const satisfies Schema;

/** The top level of a problem file (data/README.md). */
export const PROBLEM_FILE_SCHEMA = {
  format: { type: 'string', doc: 'format tag "fedpg-lab/problem@1"' },
  name: { type: 'string', optional: true, doc: 'the problem name (default: the file name)' },
  S: { type: 'integer', min: 1, symbol: 'S', doc: 'number of states' },
  A: { type: 'integer', min: 1, symbol: 'A', doc: 'number of actions' },
  gamma: { type: 'number', min: 0, max: 1, maxExclusive: true, symbol: 'γ', doc: 'discount' },
  rho: { type: 'vector', symbol: 'ρ', doc: 'initial-state distribution, length S' },
  transitions: { type: 'object', optional: true, symbol: 'P', doc: "the shared P: { dense: P[s][a][s'] } or { sparse: [s][a] = { next, prob } }; required unless agentTransitions is given" },
  agentTransitions: { type: 'any', optional: true, symbol: 'P_i', doc: 'one transition model per agent (each dense or sparse, same S and A), instead of transitions' },
  rewards: { type: 'any', symbol: 'R_i', doc: 'one table rewards[i][s][a] per agent' },
  agentNames: { type: 'any', optional: true, doc: 'a name per agent' },
  stateNames: { type: 'any', optional: true, doc: 'a name per state' },
  actionNames: { type: 'any', optional: true, doc: 'a name per action' },
  meta: { type: 'object', optional: true, doc: 'free-form provenance (generator and its options)' },
  clusterOf: { type: 'any', optional: true, doc: "ground-truth groups: agent i's cluster, N integers with labels 0..K−1 each used (garnet's rewardClusters)" },
} as const satisfies Schema;

/** optimumReference(problem, options): exact gradient ascent on the federated objective from several starts. */
export const OPTIMUM_REFERENCE_SCHEMA = {
  starts: { type: 'integer', default: 8, min: 1, max: 1e4, doc: 'number of starts: θ = 0, then random θ with entries U[−scale, scale]' },
  scale: { type: 'number', default: 2, min: 0, doc: 'half-width of the random starts' },
  iterations: { type: 'integer', default: 2000, min: 1, max: 1e7, doc: 'most ascent steps per start' },
  tolerance: { type: 'number', default: 1e-20, min: 0, doc: 'stop a start when ‖∇J(θ)‖² ≤ tolerance · (max|R|/(1−γ))²' },
  entropy: RUN_SCHEMA.entropy,
  seed: { type: 'seed', default: 0, doc: 'seed of the random starts' },
} as const satisfies Schema;

/** virtualMDPError(problem, options): |J(π) − J̄(π)| of the virtual MDP over random policies, next to its bound. */
export const VIRTUAL_MDP_ERROR_SCHEMA = {
  policies: { type: 'integer', default: 50, min: 1, max: 1e6, doc: 'random policies: θ with iid entries U[−scale, scale]' },
  scale: { type: 'number', default: 3, min: 0, doc: 'half-width of the random θ entries' },
  entropy: RUN_SCHEMA.entropy,
  seed: { type: 'seed', default: 0, doc: 'seed of the random policies (stream seed/policy:k)' },
} as const satisfies Schema;

/** Options of a sampled gradient estimate (estimateGradient, createGradientEstimator). */
export const ESTIMATOR_SCHEMA = {
  horizon: ORACLE_SCHEMAS.sampled.horizon,
  batch: ORACLE_SCHEMAS.sampled.batch,
  estimator: ORACLE_SCHEMAS.sampled.estimator,
  entropy: RUN_SCHEMA.entropy,
  variance: { type: 'boolean', optional: true, doc: 'also return the per-coordinate sample variance (default true in estimateGradient)' },
  backend: { type: 'enum', values: ['wasm', 'reference'], default: 'wasm', doc: "'wasm': the fast tabular kernel; 'reference': the readable TypeScript specification it is tested against (estimators/reference.ts), slower" },
  policy: { type: 'any', optional: true, doc: "policy class: 'tabular' (default) or { kind: 'log-linear', features } (docs/policies.md); θ has its dimension d" },
  limits: { type: 'object', optional: true, doc: 'raise the size limit (estimateSteps)' },
} as const satisfies Schema;
