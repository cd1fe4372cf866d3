/**
 * fedpg-lab: federated and multi-task policy-gradient research (Fast-FedPG, Zhu, Heath & Mitra 2024).
 *
 * The public API, listed name by name and grouped by task (docs/api.md describes each group). Everything
 * here is kept stable; the building blocks underneath (generators of random streams, linear solvers, alias
 * tables, argument checks, round kernels, sweep plumbing) are in `fedpg-lab/internals` (src/internals.ts),
 * which carries no stability promise.
 *
 * The core (problems to analysis) needs only `seedrandom`. The workspace parts load optional packages on
 * first use: Danfo frames need danfojs-node, notebook display tslab, static figure export playwright-core
 * (and Chromium); each says what to install when it is missing (core/optional.ts).
 *
 * Modules, left to right in import order: core → mdp → policy → estimators → algorithms → experiments →
 * analysis → plot → notebook (docs/architecture.md).
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
export { createProblem, type FederatedProblem, type ProblemSpec, type TabularMDP, type TransitionsSpec } from './mdp/problem';
export { denseTransitions, type SparseRow, type Transitions } from './mdp/transitions';
export { loadProblem, saveProblem } from './mdp/io';
export { problemFromJSON, type ProblemJSON, problemToJSON } from './mdp/json';

// Views: the averaged MDP and each agent's MDP
export { agentMDP, averageMDP, averageReward, withReward } from './mdp/views';

// Exact quantities: values, occupancy, gradients, optimum
export { type EvaluationOptions, evaluatePolicyProbs, type PolicyEvaluation } from './mdp/evaluate';
export { evaluatePolicy, type PolicyEvaluationOptions } from './policy/evaluatePolicy';
export { type OptimalOptions, type OptimalSolution, optimalValue, valueIteration } from './mdp/optimal';
export { policyEntropy, softmaxPolicy } from './policy/softmax';
export { exactGradient } from './estimators/exact';
// The seams a policy class and an environment plug into, and the sampled estimator's readable specification
export { type Environment, tabularEnvironment } from './mdp/environment';
export { type Policy } from './policy/policy';
export { parameterDimension, softmaxPolicyAt } from './policy/softmax';
export { addTrajectoryTerm, type EstimatorSettings, referenceEstimate } from './estimators/reference';
// Policy classes (docs/policies.md): the tabular softmax and log-linear policies over feature maps, bound to a state space
export { type FeatureSpec, isPolicyClass, type PolicyClass, policyClass, type PolicyDescription, policyLabel, type PolicySpec } from './policy/policyClass';
export { defineFeatures, type FeatureDefinition, type FeatureMap, type FeatureRows, isFeatureMap } from './policy/features';
export { type Coordinates, type CoordinateTable, type StateSpace, tabularStateSpace } from './mdp/stateSpace';
export { FEATURE_KINDS, FEATURE_SCHEMAS, POLICY_KINDS, POLICY_SCHEMAS } from './core/parameters';

export { type TruncatedGradient, truncatedGradient } from './estimators/truncated';

// Sampled gradients (truncated GPOMDP and REINFORCE)
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

// Federated runs and the built-in algorithms
export type { Detail, OracleConfig, ResolvedConfig, ResolvedOracle, RunConfig, StepSizeSchedule } from './algorithms/config';
export { checkRunConfig, resolveConfig } from './runs/resolve';
export { stepSizeAt } from './algorithms/schedules';
export { createRun, restoreRun, type Run, type RunForOptions, type RunOptions, type RunState } from './runs/run';
export type { AgentSummary, HistoryRow, RoundTrace } from './runs/trace';
export { agentsFrame, historyFrame, type RunFrames } from './runs/frames';

// Sweeps: experiment files, the worker pool, results directories
export { applyBudget, type Budget, expandJobs, type ExperimentKind, type ExperimentSpec, type Grid, type Job, type ParamValue, parseExperiment, type Point } from './experiments/spec';
export { readExperiment } from './experiments/readExperiment';
export { type ValidateOptions, validateExperiment } from './experiments/validate';
export { sweep, type SweepOptions, type SweepResult } from './experiments/sweep';
export { type SweepProgress, terminalProgress } from './experiments/progress';
export { loadManifest, loadResults, loadRows, type Manifest, mergeResults } from './experiments/store';
export type { ResultRow } from './experiments/job';

// Analysis: rows and frames, summaries over seeds, rate fits, the paper's assumptions checked numerically
export { filterRows, finalRows, type Frame, groupBy, numberAt, parametersOf, type Row, toFrame, toRows } from './analysis/frame';
export { summarizeSeeds, type SummaryOptions } from './analysis/summary';
export { fitRate, type RateFit, type RateFitOptions } from './analysis/rateFit';
export { speedup, type Speedup, type SpeedupExponent, type SpeedupOptions, type SpeedupRow } from './analysis/speedup';
export { plateau, type PlateauOptions } from './analysis/plateau';
export { smoothnessBound, smoothnessEstimate, type SmoothnessEstimate, type SmoothnessOptions } from './analysis/smoothness';
export { type VarianceRow, varianceVsBatch, type VarianceVsBatch, type VarianceVsBatchOptions } from './analysis/varianceVsBatch';
export { type TruncationBias, truncationBias } from './analysis/truncationBias';
export { gradientDominationRatio } from './analysis/gradientDomination';
export { markdownTable, rateReport, type RateReport, type RateReportOptions } from './analysis/rateReport';

// Figures: pure functions from results to Plotly figure specs
export { type AxesOptions, baseLayout, type Figure, FIGURE_SIZE, PALETTE, type Trace } from './plot/figure';
export { settingsLabel } from './plot/settings';
export { convergenceFigure, seriesFigure, type SeriesOptions } from './plot/series';
export { rateFigure, type RateSeries, speedupFigure, type SpeedupSeries } from './plot/rate';
export { driftFigure, heatmapFigure, type HeatmapOptions, histogramFigure } from './plot/agents';
export { biasCurvesFigure, linearRateFigure, plateauFigure, rateInTFigure, speedupInNFigure } from './plot/experimentFigures';

// Notebook helpers: display, tables, progress, static export, the workspace's results and budgets
export { figureHTML, type PlotMode, setPlotMode, show } from './notebook/show';
export { showTable, tableHTML, type TableOptions } from './notebook/table';
export { loopProgress, notebookProgress } from './notebook/progress';
export { closeRenderer } from './notebook/chromium';
export { exportFigure, type RenderOptions, renderFigure, type StaticFormat } from './notebook/export';
export { byBudget, emitResult, notebookBudget, type NotebookBudget } from './notebook/results';
export { experimentLabel, experimentResults, type ExperimentResults, figuresRoot, projectRoot, resultsRoot } from './notebook/experiments';

// Algorithm plug-ins: an algorithm is a value (docs/plugins.md). The built-ins are written this way, and so
// are two more baselines, FedNPG and FedSVRPG-M-style momentum, which use only the names of this block.
export { type AgentRound, type Algorithm, type AlgorithmDefinition, type AlgorithmSetup, type Communication, defineAlgorithm, isAlgorithm, type RoundContext, type RoundResult } from './algorithms/algorithm';
export { algorithmNames, algorithmOptions, type AlgorithmRegistry, createRegistry, findAlgorithm, PACKAGE_ALGORITHMS, registerAlgorithm, sessionRegistry } from './runs/registry';
export { BASELINE_ALGORITHMS } from './baselines/index';
export { type LocalDirection, type LocalStep, localSteps, type LocalStepsOptions } from './algorithms/localSteps';
export { localUpdate, type LocalUpdateOptions } from './algorithms/localUpdate';
export { clusteredRound, type ClusterRounds, type Membership } from './algorithms/clusteredRound';
export { aggregate, meanOf } from './algorithms/aggregate';
export { type AlgorithmName, ALGORITHMS, BUILTIN_ALGORITHMS, fastFedPG, fedAvgPG, localPG, minibatchPG, scaffold } from './algorithms/builtins/index';
export { FAST_FEDPG_OPTIONS, fastFedPGSteps } from './algorithms/builtins/fastFedPG';
export { decodeState, encodeState } from './runs/runState';
export { logSoftmaxRows } from './core/softmax';
export { importanceWeightedGradients, type WeightedGradients } from './estimators/importanceWeighted';
export { FEDNPG_MIXINGS, fedNPG, fedSVRPGM, mixingMatrix } from './baselines/index';
export { baselineCurvesFigure } from './plot/experimentFigures';

// Parameter schema: every parameter declared once (docs/parameters.md), strict validation with did-you-mean
export { BUDGET_SCHEMA, ESTIMATOR_KINDS, ESTIMATOR_SCHEMA, EXPERIMENT_PARAMETERS, EXPERIMENT_SCHEMA, type ExperimentParameter, GARNET_SCHEMA, GRIDWORLD_SCHEMA, type Limits, LIMITS_SCHEMA, OPTIMUM_REFERENCE_SCHEMA, ORACLE_SCHEMAS, PROBLEM_FILE_SCHEMA, RUN_SCHEMA, STEP_SIZE_SCHEMAS, TWO_STATE_SCHEMA, WINDY_CLIFF_SCHEMA } from './core/parameters';
export { checkField, type FieldSpec, nearestName, type Schema, validateObject } from './core/schema';
export { resolveLimits } from './core/limits';

// Results that protect themselves: damaged-file errors and the code revision recorded with results
export { CorruptFileError } from './experiments/verifiedFile';
export { currentRevision, type Revision } from './experiments/provenance';

// SLURM: progress of a cluster run (docs/cluster.md); script generation is in fedpg-lab/internals
export { formatStatus, runStatus, type RunStatus, type ShardStatus } from './experiments/status';

// Notebook workspace: one-call comparisons and history plots, per-agent S × A tables, frames shown as
// tables, the side file of the notebook tests, standalone HTML figures
export { type HistoryFigureOptions, historyFigure } from './plot/history';
export { type LabelConfig } from './plot/settings';
export { type CompareOptions, type Comparison, compareAlgorithms } from './notebook/compare';
export { type AgentTable, type AgentVectors, agentTables, showAgentTables, stateActionTable } from './notebook/gradientTables';
export { enableFrameDisplay } from './notebook/frameDisplay';
export { type FigureTiming, type NotebookRecord, recordFigure, recordResult } from './notebook/results';
export { PLOTLY_SERVED_PATH, plotMode, standaloneHTML } from './notebook/show';
export { type TableInput } from './notebook/table';
export { displayBundle } from './notebook/tslab';
export { loadedMessage } from './notebook/experiments';

// Figures and statistics for papers: named statistics, positive CIs, notation, print presets, layout check
export { type Centre, describeStatistic, type IntervalKind, type Statistic } from './analysis/statistic';
export { type LogMeanCI, logMeanCI } from './analysis/logMeanCI';
export { type BootstrapCI, bootstrapMeanCI } from './analysis/bootstrap';
export { type PairedComparison, pairedComparison } from './analysis/paired';
export { checkClaim, type ClaimInput, claimRows, type ClaimVerdict } from './analysis/claim';
export { algorithmName, formatNumber, MINUS, PARAMETER_SYMBOLS, parameterLabel, powerLaw, seriesName } from './plot/notation';
export { logTicks } from './plot/axes';
export { placeLegend } from './plot/legend';
export { paperFigure, type Preset, PRESETS } from './plot/presets';
export { checkFigureLayout, type LayoutCheck, type LayoutProblem } from './notebook/figureCheck';
export { detectPlateau, type PlateauDetection, PlateauError, runPlateaus } from './analysis/plateau';
export { exportFigureSet, exportPaperFigure, figureCaption, type FigureSetEntry } from './notebook/export';
export { identityErrorFigure } from './plot/experimentFigures';
export { type FigureMeta } from './plot/figure';
export { mergeStatistics } from './plot/series';

// Personalised and clustered multi-task policies (docs/personalization.md, docs/clustering.md): plug-in
// algorithms written against the public interface, registered by name
export { argmaxFirst, bestBipartition, type Bipartition, cfl, CLUSTER_INITS, cosineDistance, cosineSimilarity, ditto, dittoDirection, farthestPointSeeds, ifca, PERSONALIZATION_SCHEMA, personalizationOf, softWeights } from './baselines/index';
export { adjustedRandIndex, assignmentAccuracy } from './core/partitions';
export { type ClusterGap, clusterGaps } from './analysis/clusterAgreement';

// Agents whose transitions differ (per-agent P_i): the union MDP (exact federated objective), the virtual
// MDP (P̄, R̄) and its simulation-lemma bound, the objective and gradient by agents, docs/heterogeneous-transitions.md
export { hasSharedTransitions } from './mdp/problem';
export { tieTheta, unionMDP, untieGradient } from './mdp/union';
export { averageTransitions, transitionDeviations, virtualMDP, type VirtualMDPBound, virtualMDPBound } from './mdp/virtual';
export { type FederatedObjective, federatedObjective, unionObjective } from './estimators/federated';
export { type TransitionsJSON } from './mdp/json';
export { type OptimumReference, optimumReference, type ReferenceStart } from './analysis/optimumReference';
export { WINDY_CLIFF_ACTIONS, WINDY_CLIFF_REWARDS, windyCliff, type WindyCliffOptions } from './mdp/generators/windyCliff';

// Shared-plus-personal split θ_i = w + u_i (docs/personalization.md): a plug-in registered as 'shared-personal'
export { personalOffsetStep, SHARED_PERSONAL_OPTIONS, sharedPersonal } from './baselines/index';

// Cluster recovery, Ditto's λ trade-off and matched-budget comparisons (docs/clustering.md, docs/personalization.md)
export { type PickBound, pickErrorBound } from './analysis/pickBound';
export { approachLabel, clusterRecoveryFigure, dittoTradeoffFigure, gapAgainstHeterogeneityFigure } from './plot/personalizationFigures';

// Transition heterogeneity measured (docs/heterogeneous-transitions.md): the virtual MDP's error against its
// bound over random policies, the windy cliff's winds in experiment files, the figures of notebooks 06 and 08
export { VIRTUAL_MDP_ERROR_SCHEMA } from './core/parameters';
export { type VirtualMDPError, virtualMDPError, virtualMDPErrorAgainstKappa } from './analysis/virtualMDPError';
export { evenWinds } from './mdp/generators/windyCliff';
export { biasAgainstKappaFigure, virtualBoundFigure } from './plot/transitionFigures';
