/**
 * `fedpg-lab/internals`: the building blocks under the public API (src/index.ts), exported for tests,
 * benchmarks and readers who want to reuse a kernel: the xoshiro generator and alias tables behind the
 * samplers, the dense LU and GMRES solvers behind exact evaluation, the round kernels of the built-in
 * algorithms, argument checks, and the sweep machinery (job expansion, results store, progress).
 *
 * No stability promise: names here may change in any release. Import from 'fedpg-lab' whatever is there.
 * Every export of a src module is either public (index.ts) or listed here (test/api.test.ts checks this).
 */

export { fastFedPGRound } from './algorithms/fastFedPG';
export { fedAvgPGRound, minibatchPGRound } from './algorithms/fedAvgPG';
export { lazyRunFrames } from './algorithms/frames';
export { localPGRound } from './algorithms/localPG';
export { createMetrics, type MetricsEvaluator, type RoundMetrics } from './algorithms/metrics';
export { createOracles, type Oracle } from './algorithms/oracle';
export { type AgentRound, aggregate, type AlgorithmState, localUpdate, meanOf, type RoundContext, type RoundFunction, type RoundOutcome } from './algorithms/round';
export { RUN_STATE_FORMAT } from './algorithms/run';
export { scaffoldRound } from './algorithms/scaffold';
export { METRIC_COLUMNS, RUN_COLUMNS } from './analysis/frame';
export { buildAlias, sampleAlias } from './core/alias';
export { checkDistribution, checkFinite, checkInRange, checkInteger, checkNonNegative, checkOneOf, checkPositive, checkVector, fail, formatValue } from './core/check';
export { gmres, type GmresOptions, type GmresResult, type LinearOperator } from './core/gmres';
export { dot, type LU, luFactor, luSolve, luSolveTransposed } from './core/linalg';
export { danfo, missingMessage, OPTIONAL_PEERS, type OptionalPeer, requireOptional } from './core/optional';
export { logSoftmaxRows, logSumExp, softmaxLogRows, softmaxRows } from './core/softmax';
export { erfc, incompleteBeta, logGamma, studentTCdf } from './core/stats';
export { TWO_POW_MINUS_32, xoshiroNext, xoshiroSeed, type XoshiroState } from './core/xoshiro';
export { gradientFromEvaluation } from './estimators/exact';
export { checkSampledOptions } from './estimators/sampled';
export { executeJob } from './experiments/execute';
export { type CheckpointIO, flattenPoint, identityJob, type JobCheckpoint, runConfigFromPoint, runJob } from './experiments/job';
export { problemFromPoint, problemKey } from './experiments/problemFromPoint';
export { estimateEta, formatDuration, formatProgress } from './experiments/progress';
export { canonicalJSON, EXPERIMENT_FORMAT, gridList, PARAMETERS, parseShard, shardJobs, shortHash } from './experiments/spec';
export { checkpointIO, completedJobIds, makeManifest, prepareResultsDir, provenance, RESULTS_FORMAT, writeAtomic, writeJobResult } from './experiments/store';
export { jobWeight } from './experiments/sweep';
export { DENSE_SOLVE_LIMIT, type DiscountedSolution, ITERATIVE_TOLERANCE, mergeKernel, policyKernel, type PolicyKernel, policyMatrix, solveDiscounted, solvePolicy, type Solver } from './mdp/discountedSolve';
export { checkEvaluationOptions } from './mdp/evaluate';
export { compactJSON, readJSONFile } from './mdp/io';
export { PROBLEM_FORMAT } from './mdp/json';
export { agentCount, checkRewardTable } from './mdp/problem';
export { ROW_SUM_TOLERANCE, sampleSuccessor, transitionNonZeros, transitionsFromDense, transitionsFromRows } from './mdp/transitions';
export { chromiumPath } from './notebook/export';
export { plotlyBundle } from './notebook/plotlyBundle';
export { plotlyLoaderHTML } from './notebook/show';
export { tslabDisplay } from './notebook/tslab';
export { DIVERGING } from './plot/agents';
export { colour, FONT, withAlpha } from './plot/figure';
export { keyLabel } from './plot/series';
export { addScore } from './policy/score';
