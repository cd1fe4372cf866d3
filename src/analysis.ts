/**
 * `fedpg-lab/analysis`: every export of src/analysis/, rows and frames, summaries over seeds, rate fits,
 * speedups, plateaus, named statistics and claims, and the paper's assumptions checked numerically. Each
 * name is documented where it is defined (TSDoc); docs/api.md describes the entry.
 */

export * from './analysis/bootstrap';
export * from './analysis/claim';
export * from './analysis/clusterAgreement';
export * from './analysis/frame';
export * from './analysis/gradientDomination';
export * from './analysis/logMeanCI';
export * from './analysis/optimumReference';
export * from './analysis/paired';
export * from './analysis/pickBound';
export * from './analysis/plateau';
export * from './analysis/rateFit';
export * from './analysis/rateReport';
export * from './analysis/smoothness';
export * from './analysis/speedup';
export * from './analysis/statistic';
export * from './analysis/summary';
export * from './analysis/truncationBias';
export * from './analysis/varianceVsBatch';
export * from './analysis/virtualMDPError';
export * from './analysis/control';
export * from './analysis/fixedPoint';
export * from './analysis/predictedSlope';
export * from './analysis/unitBootstrap';
export * from './analysis/unitFit';
export * from './analysis/atBudget';
export * from './analysis/chanceAgreement';
export * from './analysis/proportion';
export * from './analysis/recovery';
export * from './analysis/stepTuning';
export * from './analysis/timeToReach';
