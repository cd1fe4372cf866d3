/**
 * fedpg-lab: federated and multi-task policy-gradient research (Fast-FedPG, Zhu, Heath & Mitra 2024).
 *
 * This entry is curated: what a researcher does every day, grouped by task (docs/api.md describes each
 * name): build problems, compute exact quantities, estimate gradients, run the built-in algorithms or one's
 * own, sweep an experiment and summarise its results. The rest is in subpath entries that re-export whole
 * folders, so a new helper is there as soon as it is written:
 *   fedpg-lab/notebook     showing figures and tables in tslab, export, the workspace's results and budgets
 *   fedpg-lab/plot         figure builders (rows → Plotly specs), labels, notation, presets
 *   fedpg-lab/analysis     summaries, rate fits, speedups, plateaus, claims, assumption checks
 *   fedpg-lab/experiments  parsing, validating, planning and running experiment files; results; SLURM
 *   fedpg-lab/baselines    the baselines' values and pieces (registered by name everywhere)
 *   fedpg-lab/internals    the layers under this entry, whole (no stability promise)
 *
 * The core (problems to analysis) needs only `seedrandom`. The workspace parts load optional packages on
 * first use: Danfo frames need danfojs-node, notebook display tslab, static figure export playwright-core
 * (and Chromium); each says what to install when it is missing (core/optional.ts).
 *
 * Modules, left to right in import order: core → mdp → policy → estimators → algorithms → baselines →
 * runs → experiments → analysis → plot → notebook (docs/architecture.md).
 */

// Errors: bad input, divergence, a missing optional package
export { DivergenceError, FedPGError, ValidationError } from './core/errors';
export { MissingDependencyError } from './core/optional';

// Seeded, splittable, serialisable random streams
export { createRng, restoreRng, type Rng, type RngState } from './core/rng';

// Small numerics a notebook reaches for
export { maxAbs, maxAbsDiff, norm2 } from './core/linalg';
export { mean, meanCI, type MeanCI, normalQuantile, ols, type OLSFit, standardError, studentTQuantile, variance } from './core/stats';

// Problems: generators, validated construction, files
export { garnet, type GarnetOptions } from './mdp/generators/garnet';
export { type Cell, GRID_ACTIONS, gridworld, type GridworldOptions } from './mdp/generators/gridworld';
export { twoState, type TwoStateOptions } from './mdp/generators/twoState';
export { evenWinds, WINDY_CLIFF_ACTIONS, WINDY_CLIFF_REWARDS, windyCliff, type WindyCliffOptions } from './mdp/generators/windyCliff';
export { createProblem, type FederatedProblem, hasSharedTransitions, type ProblemSpec, type TabularMDP, type TransitionsSpec } from './mdp/problem';
export { denseTransitions, type SparseRow, type Transitions } from './mdp/transitions';
export { loadProblem, saveProblem } from './mdp/io';
export { problemFromJSON, type ProblemJSON, problemToJSON, type TransitionsJSON } from './mdp/json';

// Views: the averaged MDP, each agent's MDP, the union and virtual MDPs of per-agent transitions
export { agentMDP, averageMDP, averageReward, withReward } from './mdp/views';
export { tieTheta, unionMDP, untieGradient } from './mdp/union';
export { averageTransitions, transitionDeviations, virtualMDP, type VirtualMDPBound, virtualMDPBound } from './mdp/virtual';

// Exact quantities: values, occupancy, gradients, optimum, the federated objective
export { type EvaluationOptions, evaluatePolicyProbs, type PolicyEvaluation } from './mdp/evaluate';
export { evaluatePolicy, type PolicyEvaluationOptions } from './policy/evaluatePolicy';
export { type OptimalOptions, type OptimalSolution, optimalValue, valueIteration } from './mdp/optimal';
export { policyEntropy, softmaxPolicy } from './policy/softmax';
export { exactGradient } from './estimators/exact';
// Policy classes (docs/policies.md): the tabular softmax and log-linear policies over feature maps, bound to a state space
export { type FeatureSpec, isPolicyClass, type PolicyClass, policyClass, type PolicyDescription, policyLabel, type PolicySpec } from './policy/policyClass';
export { defineFeatures, type FeatureDefinition, type FeatureMap, type FeatureRows, isFeatureMap } from './policy/features';
export { type Coordinates, type CoordinateTable, type StateSpace, tabularStateSpace } from './mdp/stateSpace';
export { type TruncatedGradient, truncatedGradient } from './estimators/truncated';
export { type FederatedObjective, federatedObjective, unionObjective } from './estimators/federated';

// Sampled gradients: one interface, the readable reference and the fast kernel behind it
export {
  createGradientEstimator,
  estimateGradient,
  type EstimateStats,
  type EstimatorBackend,
  type EstimatorKind,
  type GradientEstimate,
  type GradientEstimator,
  type ResolvedSampledOptions,
  type SampledOptions,
} from './estimators/sampled';
export { addTrajectoryTerm, type EstimatorSettings, referenceEstimate } from './estimators/reference';
export { importanceWeightedGradients, type WeightedGradients } from './estimators/importanceWeighted';

// The seams a policy class and an environment plug into
export { type Environment, tabularEnvironment } from './mdp/environment';
export { type Policy } from './policy/policy';
export { parameterDimension, softmaxPolicyAt } from './policy/softmax';

// Federated runs: configs resolved once, runs, traces
export type { Detail, OracleConfig, ResolvedConfig, ResolvedOracle, RunConfig, StepSizeSchedule } from './algorithms/config';
export { checkRunConfig, resolveConfig } from './runs/resolve';
export { stepSizeAt } from './algorithms/schedules';
export { createRun, restoreRun, type Run, type RunForOptions, type RunOptions, type RunState } from './runs/run';
export type { AgentSummary, HistoryRow, RoundTrace } from './runs/trace';
export { agentsFrame, historyFrame, type RunFrames } from './runs/frames';

// Algorithms: the built-ins, and writing one's own (docs/plugins.md)
export { type AlgorithmName, ALGORITHMS, BUILTIN_ALGORITHMS, fastFedPG, fedAvgPG, localPG, minibatchPG, scaffold } from './algorithms/builtins/index';
export { FAST_FEDPG_OPTIONS, fastFedPGSteps } from './algorithms/builtins/fastFedPG';
export { type AgentRound, type Algorithm, type AlgorithmDefinition, type AlgorithmSetup, type Communication, defineAlgorithm, isAlgorithm, type RoundContext, type RoundResult } from './algorithms/algorithm';
export { type LocalDirection, type LocalStep, localSteps, type LocalStepsOptions } from './algorithms/localSteps';
export { localUpdate, type LocalUpdateOptions } from './algorithms/localUpdate';
export { clusteredRound, type ClusterRounds, type Membership } from './algorithms/clusteredRound';
export { checkClusterState } from './algorithms/clusterState';
export { checkPenaltyStep } from './algorithms/stability';
export { aggregate, meanOf } from './algorithms/aggregate';
export { logSoftmaxRows } from './core/softmax';
export { decodeState, encodeState } from './runs/runState';
export { algorithmNames, algorithmOptions, type AlgorithmRegistry, createRegistry, findAlgorithm, PACKAGE_ALGORITHMS, registerAlgorithm, sessionRegistry } from './runs/registry';

// Parameters: every one declared once (docs/parameters.md); strict validation with did-you-mean
export { EXPERIMENT_PARAMETERS, type ExperimentParameter, type Limits, LIMITS_SCHEMA, RUN_SCHEMA } from './core/parameters';
export { checkField, type FieldSpec, nearestName, type Schema, validateObject } from './core/schema';
export { resolveLimits } from './core/limits';

// Experiments, every day: read a file, sweep it, load its rows, summarise over seeds, fit a rate
export { readExperiment } from './experiments/readExperiment';
export type { ExperimentSpec } from './experiments/spec';
export { sweep, type SweepOptions, type SweepResult } from './experiments/sweep';
export { loadResults, loadRows } from './experiments/store';
export type { ResultRow } from './experiments/job';
export { summarizeSeeds, type SummaryOptions } from './analysis/summary';
export { fitRate, type RateFit, type RateFitOptions } from './analysis/rateFit';
