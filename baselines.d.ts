// Types of `fedpg-lab/baselines` for Node10 module resolution (tslab's TypeScript 5.0): see baselines.js.
export * from './dist/baselines';
