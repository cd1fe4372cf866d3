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
export * from './algorithms/round';
export * from './algorithms/fastFedPG';
export * from './algorithms/fedAvgPG';
export * from './algorithms/localPG';
export * from './algorithms/scaffold';
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

// figures and statistics (issue 11): notation, print presets, legend placement, layout check, named statistics
export * from './analysis/statistic';
export * from './analysis/logMeanCI';
export * from './analysis/bootstrap';
export * from './analysis/paired';
export * from './plot/notation';
export * from './plot/axes';
export * from './plot/legend';
export * from './plot/presets';
export * from './notebook/figureCheck';
export * from './analysis/claim';
