// Types of `fedpg-lab/analysis` for Node10 module resolution (tslab's TypeScript 5.0): see analysis.js.
export * from './dist/analysis';
