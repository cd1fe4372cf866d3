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

// notebook workspace (issue 12): one-call comparisons and history plots, per-agent S × A tables, frames
// shown as tables, the side file of the notebook tests, standalone HTML figures.
export { type HistoryFigureOptions, historyFigure } from './plot/history';
export { type LabelConfig } from './plot/settings';
export { type CompareOptions, type Comparison, compareAlgorithms } from './notebook/compare';
export { type AgentTable, type AgentVectors, agentTables, showAgentTables, stateActionTable } from './notebook/gradientTables';
export { enableFrameDisplay, hookFrameDisplay } from './notebook/frameDisplay';
export { type NotebookRecord, recordFigure, recordResult } from './notebook/results';
export { PLOTLY_SERVED_PATH, plotMode, standaloneHTML } from './notebook/show';
export { type TableInput } from './notebook/table';
export { displayBundle } from './notebook/tslab';
export { loadedMessage } from './notebook/experiments';
export { nothingToRun } from './experiments/progress';
