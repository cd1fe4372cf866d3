// Types of `fedpg-lab/experiments` for Node10 module resolution (tslab's TypeScript 5.0): see experiments.js.
export * from './dist/experiments';
