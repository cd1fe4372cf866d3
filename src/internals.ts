/**
 * `fedpg-lab/internals`: every export of the layers under the public entry (src/core, mdp, policy,
 * estimators, algorithms, runs): the xoshiro generator and alias tables behind the samplers, the dense LU
 * and GMRES solvers behind exact evaluation, the estimator's fast backend and its kernel, argument checks,
 * the run loop's machinery and run-state serialisation. `fedpg-lab` curates what a researcher uses every
 * day from these and from the subpaths; this entry re-exports whole modules, so a new helper is here as soon
 * as it is written. No stability promise: names here may change in any release.
 */

export * from './core/alias';
export * from './core/check';
export * from './core/errors';
export * from './core/gmres';
export * from './core/gmresKernel';

export * from './core/hash';
export * from './core/hessenberg';
export * from './core/krylovKernel';
export * from './core/limits';
export * from './core/linalg';
export * from './core/luKernel';
export * from './core/names';
export * from './core/optional';
export * from './core/parameters';
export * from './core/partitions';
export * from './core/resultFrame';
export * from './core/richardsonKernel';
export * from './core/rng';
export * from './core/schema';
export * from './core/softmax';
export * from './core/stats';
export * from './core/strictJSON';
export * from './core/wasmModule';
export * from './core/xor4096First';
export * from './core/xoshiro';
export * from './core/xoshiroJump';
export * from './mdp/discountedSolve';
export * from './mdp/environment';
export * from './mdp/evaluate';
export * from './mdp/generators/garnet';
export * from './mdp/generators/gridworld';
export * from './mdp/generators/twoState';
export * from './mdp/generators/windyCliff';
export * from './mdp/io';
export * from './mdp/json';
export * from './mdp/krylovSolve';
export * from './mdp/optimal';
export * from './mdp/problem';
export * from './mdp/problemHash';
export * from './mdp/stateSpace';

export * from './mdp/transitions';
export * from './mdp/union';
export * from './mdp/views';
export * from './mdp/virtual';
export * from './policy/evaluatePolicy';
export * from './policy/featureMaps/featureTable';
export * from './policy/featureMaps/gridCounts';
export * from './policy/featureMaps/oneHot';
export * from './policy/featureMaps/radialBasis';
export * from './policy/featureMaps/randomFeatures';
export * from './policy/featureMaps/tileCoding';
export * from './policy/features';
export * from './policy/logLinear';
export * from './policy/policy';
export * from './policy/policyClass';
export * from './policy/score';
export * from './policy/softmax';
export * from './estimators/estimateSize';
export * from './estimators/exact';
export * from './estimators/exactGradientKernel';
export * from './estimators/exactOracle';
export * from './estimators/krylovFactor';
export * from './estimators/federated';
export * from './estimators/importanceWeighted';
export * from './estimators/reference';
export * from './estimators/sampled';
export * from './estimators/thetaCache';
export * from './estimators/truncated';
export * from './estimators/walkEstimator';
export * from './estimators/walkKernel';
export * from './algorithms/aggregate';
export * from './algorithms/algorithm';
export * from './algorithms/builtins/fastFedPG';
export * from './algorithms/builtins/fedAvgPG';
export * from './algorithms/builtins/index';
export * from './algorithms/builtins/localPG';
export * from './algorithms/builtins/minibatchPG';
export * from './algorithms/builtins/scaffold';
export * from './algorithms/clusteredRound';
export * from './algorithms/clusterState';
export * from './algorithms/codeIdentity';
export * from './algorithms/config';
export * from './algorithms/declaration';
export * from './algorithms/localSteps';
export * from './algorithms/localUpdate';
export * from './algorithms/plugin';
export * from './algorithms/schedules';
export * from './algorithms/settings';
export * from './algorithms/stability';
export * from './runs/boundary';
export * from './runs/context';
export * from './runs/frames';
export * from './runs/loop';
export * from './runs/metrics';
export * from './runs/oracle';
export * from './runs/registry';
export * from './runs/resolve';
export * from './runs/run';
export * from './runs/runState';
export * from './runs/trace';
