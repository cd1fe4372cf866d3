/**
 * fedpg-lab: federated and multi-task policy-gradient research (Fast-FedPG, Zhu, Heath & Mitra 2024).
 * Modules, left to right in import order: core → mdp → policy → estimators → algorithms → experiments →
 * analysis → plot → notebook (DESIGN.md).
 */
export * from './core/errors';
export { checkDistribution, checkFinite, checkInteger, checkInRange, checkNonNegative, checkOneOf, checkPositive, checkVector, formatValue } from './core/check';
export * from './core/rng';
export * from './core/alias';
export * from './core/softmax';
export * from './core/linalg';
export * from './core/gmres';
export * from './core/xoshiro';
export * from './core/stats';

export * from './mdp/transitions';
export * from './mdp/problem';
export * from './mdp/views';
export * from './mdp/discountedSolve';
export * from './mdp/evaluate';
export * from './mdp/optimal';
export * from './mdp/json';
export * from './mdp/io';
export * from './mdp/generators/garnet';
export * from './mdp/generators/gridworld';
export * from './mdp/generators/twoState';

export * from './policy/softmax';
export * from './policy/score';

export * from './estimators/exact';
export * from './estimators/truncated';
export * from './estimators/sampled';

export * from './algorithms/config';
export * from './algorithms/schedules';
export * from './algorithms/oracle';
export * from './algorithms/metrics';
export * from './algorithms/trace';
export * from './algorithms/frames';
export * from './algorithms/run';

export * from './experiments/spec';
export * from './experiments/readExperiment';
export * from './experiments/job';
export * from './experiments/problemFromPoint';
export * from './experiments/execute';
export * from './experiments/progress';
export * from './experiments/store';
export * from './experiments/sweep';

export * from './analysis/frame';
export * from './analysis/summary';
export * from './analysis/rateFit';
export * from './analysis/speedup';
export * from './analysis/plateau';
export * from './analysis/smoothness';
export * from './analysis/varianceVsBatch';
export * from './analysis/truncationBias';
export * from './analysis/gradientDomination';
export * from './analysis/rateReport';

export * from './plot/figure';
export * from './plot/settings';
export * from './plot/series';
export * from './plot/rate';
export * from './plot/agents';
export * from './plot/experimentFigures';

export * from './notebook/tslab';
export * from './notebook/plotlyBundle';
export * from './notebook/export';
export * from './notebook/show';
export * from './notebook/table';
export * from './notebook/progress';
export * from './notebook/results';
export * from './notebook/experiments';

// results store (issue 9): damaged-file errors and the code revision recorded with results
export { CorruptFileError } from './experiments/verifiedFile';
export { currentRevision, type Revision } from './experiments/provenance';
// SLURM: work-balanced shards, the array and merge scripts, progress of a cluster run (docs/cluster.md)
export { balancedAssignment, planShards, shardOf, SHARD_BALANCES, type PlannedShard, type ShardBalance } from './experiments/shardPlan';
export { arraySpec, mergeScript, sbatchArgs, slurmPaths, taskScript, SLURM_PLAN_FORMAT, type ScriptContext, type SlurmPlan, type SlurmRequest, type SlurmSubmission } from './experiments/slurm';
export { formatStatus, parseSacct, parseScontrol, parseSqueue, runStatus, taskState, type RunStatus, type ShardState, type ShardStatus, type TaskRecord } from './experiments/status';
// algorithm plug-ins (issue 10): the algorithm seam, the registry, the built-ins as values, the two
// baselines written against the seam, and the run-state and loop pieces.
export { type Algorithm, type AlgorithmDefinition, type AlgorithmSetup, type Communication, defineAlgorithm, isAlgorithm, type RoundContext, type RoundResult } from './algorithms/algorithm';
export { algorithmNames, algorithmOptions, findAlgorithm, registerAlgorithm, resolveAlgorithm } from './algorithms/registry';
export { type AgentRound, localUpdate, type LocalUpdateOptions } from './algorithms/localUpdate';
export { aggregate, meanOf } from './algorithms/aggregate';
export { BUILTIN_ALGORITHMS, fastFedPG, fedAvgPG, localPG, minibatchPG, scaffold } from './algorithms/builtins/index';
export { type Counters, decodeState, encodeState } from './algorithms/runState';
export { importanceWeightedGradients, type WeightedGradients } from './estimators/importanceWeighted';
export { FEDNPG_MIXINGS, fedNPG, fedSVRPGM, mixingMatrix } from './baselines/index';
