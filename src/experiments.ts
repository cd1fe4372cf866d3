/**
 * `fedpg-lab/experiments`: every export of src/experiments/, experiment files in four steps (parse,
 * validate, plan, sweep), the worker pool, the results store and its verified files, shards, SLURM scripts
 * and status, progress and provenance. Each name is documented where it is defined (TSDoc); docs/api.md
 * describes the entry, data/experiments/README.md the files.
 */

export * from './experiments/algorithmModules';
export * from './experiments/commandHelp';
export * from './experiments/execute';
export * from './experiments/job';
export * from './experiments/localStatus';
export * from './experiments/lock';
export * from './experiments/problemFromPoint';
export * from './experiments/progress';
export * from './experiments/provenance';
export * from './experiments/readExperiment';
export * from './experiments/runConfigFromPoint';
export * from './experiments/shardPlan';
export * from './experiments/slurm';
export * from './experiments/slurmCommand';
export * from './experiments/slurmPreflight';
export * from './experiments/slurmSnapshot';
export * from './experiments/spec';
export * from './experiments/status';
export * from './experiments/store';
export * from './experiments/sweep';
export * from './experiments/validate';
export * from './experiments/verifiedFile';
