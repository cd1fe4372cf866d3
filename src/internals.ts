/**
 * `fedpg-lab/internals`: the building blocks under the public API (src/index.ts), exported for tests,
 * benchmarks and readers who want to reuse a kernel: the xoshiro generator and alias tables behind the
 * samplers, the dense LU and GMRES solvers behind exact evaluation, the round kernels of the built-in
 * algorithms, argument checks, and the sweep machinery (job expansion, results store, progress).
 *
 * No stability promise: names here may change in any release. Import from 'fedpg-lab' whatever is there.
 * Every export of a src module is either public (index.ts) or listed here (test/api.test.ts checks this).
 */

export { lazyRunFrames } from './runs/frames';
// The algorithm seam's machinery: the run loop, round contexts, run-state serialisation, name resolution,
// the built-ins' state types, FedNPG's and FedSVRPG-M's state types, and the loader of algorithm modules.
export { buildRun } from './runs/loop';
export { algorithmSetup, type ContextFactory, createContextFactory } from './runs/context';
export { resolveAlgorithm } from './runs/registry';
export { algorithmStateFromJSON, algorithmStateToJSON, type Counters, countersFromJSON, historyRowFromJSON, migrateRunState, RUN_STATE_FORMAT, RUN_STATE_FORMAT_V1 } from './runs/runState';
export type { ServerState } from './algorithms/builtins/fastFedPG';
export type { LocalPGState } from './algorithms/builtins/localPG';
export type { ScaffoldState } from './algorithms/builtins/scaffold';
export type { FedNPGState } from './baselines/fedNPG';
export type { FedSVRPGMState } from './baselines/fedSVRPGM';
export { type Mixing, neighbourCount } from './baselines/mixing';
export { experimentRegistry, loadAlgorithmModules } from './experiments/algorithmModules';
export { experimentParameters, validatedWith } from './experiments/validate';
export { checkGrid, checkGrids, checkPoint, configurations, type ParameterTable, resolveAlgorithmModules } from './experiments/spec';
export { createMetrics, type MetricsEvaluator, type RoundMetrics } from './runs/metrics';
export { createOracles } from './runs/oracle';
export { type Oracle } from './algorithms/algorithm';
export { METRIC_COLUMNS, RUN_COLUMNS } from './analysis/frame';
export { buildAlias, sampleAlias } from './core/alias';
export { checkDistribution, checkFinite, checkInRange, checkInteger, checkNonNegative, checkOneOf, checkPositive, checkVector, fail, formatValue } from './core/check';
export { gmres, type GmresOptions, type GmresResult, type LinearOperator } from './core/gmres';
export { dot, type LU, luFactor, luSolve, luSolveTransposed } from './core/linalg';
export { danfo, missingMessage, OPTIONAL_PEERS, type OptionalPeer, requireOptional } from './core/optional';
export { logSumExp, softmaxLogRows, softmaxRows } from './core/softmax';
export { erfc, incompleteBeta, logGamma, studentTCdf } from './core/stats';
export { TWO_POW_MINUS_32, xoshiroNext, xoshiroSeed, type XoshiroState } from './core/xoshiro';
export { gradientFromEvaluation } from './estimators/exact';
export { checkSampledOptions } from './estimators/sampled';
export { executeJob } from './experiments/execute';
export { type CheckpointIO, flattenPoint, identityJob, type JobCheckpoint, runConfigFromPoint, runJob } from './experiments/job';
export { problemFromPoint, problemKey } from './experiments/problemFromPoint';
export { estimateEta, formatDuration, formatProgress } from './experiments/progress';
export { canonicalJSON, EXPERIMENT_FORMAT, gridList, PARAMETERS, parseShard, shardJobs, shortHash } from './experiments/spec';
export { admitRevision, checkpointIO, completedJobIds, makeManifest, openResultsDir, RESULTS_FORMAT, writeJobResult } from './experiments/store';
export { readVerified, writeAtomic, writeVerified } from './experiments/verifiedFile';
export { checkSweepSize, plannedEnvSteps, planSweep, type SweepPlan, weightOf } from './experiments/sweep';
export { generatorOptionsFromPoint, checkGeneratorOptions } from './experiments/problemFromPoint';
export { recordEvery, runRowLabels } from './experiments/job';
export { jobWeight } from './experiments/sweep';
export { DENSE_SOLVE_LIMIT, type DiscountedSolution, ITERATIVE_TOLERANCE, mergeKernel, policyKernel, type PolicyKernel, policyMatrix, solveDiscounted, solvePolicy, type Solver } from './mdp/discountedSolve';
export { checkEvaluationOptions } from './mdp/evaluate';
export { compactJSON, readJSONFile } from './mdp/io';
export { PROBLEM_FORMAT } from './mdp/json';
export { agentCount, checkRewardTable } from './mdp/problem';
export { ROW_SUM_TOLERANCE, sampleSuccessor, transitionNonZeros, transitionsFromDense, transitionsFromRows } from './mdp/transitions';
export { chromiumPath } from './notebook/chromium';
export { plotlyBundle } from './notebook/plotlyBundle';
export { plotlyLoaderHTML } from './notebook/show';
export { tslabDisplay } from './notebook/tslab';
export { DIVERGING } from './plot/agents';
export { colour, FONT, withAlpha } from './plot/figure';
export { keyLabel } from './plot/series';
export { addScore } from './policy/score';
// Sweep plumbing of the parameter checks, the results store and SLURM runs
export { checkConfigFits, checkOracle, checkStepSize, resolveRunConfig, runPolicyClass } from './algorithms/config';
export { weightedGradientsOn } from './estimators/importanceWeighted';
export { checkEstimateSize } from './estimators/estimateSize';
export { checkKnownKeys, editDistance, fieldPath, isPlainObject, schemaDefaults } from './core/schema';
export { balancedAssignment, planShards, shardOf, SHARD_BALANCES, type PlannedShard, type ShardBalance } from './experiments/shardPlan';
export { arraySpec, mergeScript, sbatchArgs, slurmPaths, taskScript, SLURM_PLAN_FORMAT, type ScriptContext, type SlurmPlan, type SlurmRequest, type SlurmSubmission } from './experiments/slurm';
export { parseSacct, parseScontrol, parseSqueue, taskState, type ShardState, type TaskRecord } from './experiments/status';
export { type ParameterKind } from './core/parameters';
export { acquireLock, alive, type FolderLock, type LockOwner } from './experiments/lock';
export { type GeneratorCall } from './experiments/problemFromPoint';
export { formatRevision, packageVersion, type ProblemFileHash, problemFileHashes, sameRevision } from './experiments/provenance';
export { checkDirectivePath, parseCount, parsePartition, parseSbatchOutput, parseSlurmArgs, parseSlurmMemory, parseSlurmTime, shellQuote, SLURM_USAGE, splitArgs } from './experiments/slurm';
export { clusterCommand, missingShards, slurmCommand, statusCommand } from './experiments/slurmCommand';
export { latestShardLog, logCancellation, logExitStatus, SHARD_STATES, type TaskLogs } from './experiments/status';
export { CHECKPOINT_FORMAT, type OpenResults, printWarning, RUN_FORMAT, type RunFile, TIMING_FORMAT, type Warn } from './experiments/store';
export { moveAside, TMP_SUFFIX, verifiedText } from './experiments/verifiedFile';
export { checkProblemEntries } from './core/limits';
export { hookFrameDisplay } from './notebook/frameDisplay';
export { nothingToRun } from './experiments/progress';
export { quantileSorted } from './analysis/bootstrap';
export { plainText, type TextTarget } from './plot/notation';
export { dataRange, fitAxes, traceValues } from './plot/axes';
export { boxIsFree, type Box, insidePolygon, legendEntries, legendSize, type Obstacles, obstacles, plotArea, segmentMeetsBox } from './plot/legend';
export { finishFigure, legendRowsHeight, MIN_PRINT_PT, presetPixels, printableScripts, printedPoints, PX_PER_INCH } from './plot/presets';
export { pngWithText, svgWithMetadata } from './notebook/export';
export { plotlyPage, printPDF, type RenderPage, RENDERER_ENV, scheduleClose, type SharedRenderer, startSharedRenderer, warmRenderer } from './notebook/chromium';
export { NOTEBOOK_WIDTH } from './plot/agents';
export { DASHES, SYMBOLS, titleText, wrapLine } from './plot/figure';
export { slopeLabel } from './plot/rate';
export { inTslabKernel } from './notebook/tslab';
export { AXES_OPTION_KEYS } from './plot/figure';
export { checkProblemKeys, problemKeysUsed } from './experiments/problemFromPoint';
// The estimator's fast backend: xoshiro128** jump-ahead, the θ cache, the walk and its WebAssembly kernel
export { type XoshiroJumpTable, xoshiroJump, xoshiroJumpTable } from './core/xoshiroJump';
export { acceptTheta, createThetaCache, type ThetaCache } from './estimators/thetaCache';
export { createWalkEstimator, type EstimateSums, type RowPullBack } from './estimators/walkEstimator';
export { createWalkKernel, type WalkKernel } from './estimators/walkKernel';

// Personalised and clustered multi-task policies: state types
export type { DittoState } from './baselines/ditto';
export type { IFCAState } from './baselines/ifca';
export type { CFLState } from './baselines/cfl';

// Shared-plus-personal split: state type
export type { SharedPersonalState } from './baselines/sharedPersonal';
// The own-gap column of a runs job
export { agentGapMean, agentGlobalGap, clusterRecovery } from './experiments/job';
export { scheduledStepSize } from './algorithms/schedules';

// The exact gradient oracle of the algorithms: buffers allocated once, one factorisation per θ shared by agents with one P
export { createExactGradientOracle, createPolicyFactor, factorFits, preparePolicyFactor, type PolicyFactor } from './estimators/exactOracle';

// Seed-independent runs computed once per sweep: draw tracking on streams, the job's report, the groups
export { drewFrom } from './core/rng';
export type { JobInfo } from './experiments/job';
export { seedIndependentGroups } from './experiments/sweep';

// The windy cliff's options checked without building it (experiment files are checked when read)
export { checkWindyCliffOptions } from './mdp/generators/windyCliff';

// What createRun checks before the first round, without building the run (experiment files call it when read)
export { checkRun } from './runs/run';

// r_π of a policy, shared by exact evaluation and the algorithms' exact oracle
export { policyReward } from './mdp/evaluate';

// The WebAssembly LU kernel (core/lu.wat) behind luFactor / luSolve, its workspaces, the TypeScript code it replaces (fallback and reference), and the loader of the kernels' binaries
export { luFactorScalar, luSolveScalar, luSolveTransposedScalar, singularError } from './core/linalg';
export { createLuWorkspace, type LuWorkspace, sharedLuWorkspace } from './core/luKernel';
export { kernelModule, SOURCE_HASH_SECTION, wasmApi, type WasmApi } from './core/wasmModule';

// The exact oracle's gradient and J from a prepared factor, its WebAssembly kernel, and the factor a run's oracles and metrics share
export { factorGradient } from './estimators/exactOracle';
export { createExactGradientKernel, type ExactGradientKernel } from './estimators/exactGradientKernel';
export { createRunFactor } from './runs/oracle';
export { fillIdentityMinusWeighted } from './mdp/discountedSolve';

// A fresh stream's first 32-bit outputs from the xor4096 kernel (core/xor4096.wat), as the samplers seed xoshiro128**
export { nextInt32s } from './core/rng';
export { XOR4096_KEY_LIMIT, xor4096First } from './core/xor4096First';
// Policy classes' building blocks: feature rows, logits Φθ and pull-backs Φᵀg, the log-linear policy at θ,
// the built-in feature maps, state spaces, the counter-based hash of random features
export { checkFeatureSizes, createFeatureRows } from './policy/features';
export { featureLogits, type LogLinearPolicy, logLinearPolicyAt, pullBack, rowLogits } from './policy/logLinear';
export { checkPolicySpec, logLinearPolicyClass, tabularPolicyClass } from './policy/policyClass';
export { exactPolicyClass } from './policy/evaluatePolicy';
export { oneHotFeatures } from './policy/featureMaps/oneHot';
export { type RandomFeatureOptions, randomFeatures } from './policy/featureMaps/randomFeatures';
export { type TileCodingOptions, tileCoding } from './policy/featureMaps/tileCoding';
export { type RadialBasisOptions, radialBasis } from './policy/featureMaps/radialBasis';
export { checkFeatureTable, featureTable, type FeatureTableOptions } from './policy/featureMaps/featureTable';
export { checkCoordinateTable, tableCoordinates } from './mdp/stateSpace';
export { gridCoordinates } from './mdp/generators/gridworld';
export { hashWords } from './core/hash';
