// Types of `fedpg-lab/internals` for Node10 module resolution (tslab's TypeScript 5.0): see internals.js.
export * from './dist/internals';
